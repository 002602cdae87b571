// The capacity plan: vCPUs, instances and Cloud Run settings of each service for a target load, from measured costs.

/** The load to plan for. */
export type CapacityTarget = {
  requestsPerSecond: number;
  /** Time each request waits on the feature services (sets requests in flight, not CPU). */
  ioMs: number;
  /** The model's CPU per request (one row, as Cloud Run's CPU target keeps batches small; see BENCHMARKS.md). */
  modelCpuMs: number;
};

/** The seed's reference load: 1000 requests/s, 70 ms of I/O and 30 ms of model CPU each. */
export const SEED_TARGET: CapacityTarget = { requestsPerSecond: 1000, ioMs: 70, modelCpuMs: 30 };

/** Measured costs the plan starts from (see capacity-inputs.ts for where each comes from). */
export type CapacityInputs = {
  gatewayCpuPerRequestMs: number;
  /** Scorer CPU per request beyond the model's own run: HTTP, tensors, scheduling. */
  scorerOverheadPerRequestMs: number;
  scorerBaseRssMiB: number;
  /** Memory of one onnxruntime session of the reference model (each worker holds one). */
  scorerRssPerSessionMiB: number;
  gatewayRssMiB: number;
  /** `maxBatchSize` of the reference model (interests-heavy). */
  maxBatchSize: number;
  /** For the record, not used by the plan: CPU per row when batches fill (interests-heavy under saturation). */
  batchedCpuPerRowMs: number;
  batchedMeanRows: number;
};

/** Choices that are policy rather than measurement. */
export type CapacityPolicy = {
  /** Busy share of each vCPU to plan for: Cloud Run's autoscaler aims at 60 % CPU. */
  targetUtilisation: number;
  scorerCpusPerInstance: number;
  gatewayCpusPerInstance: number;
  /** Instances kept warm: one can fail or be replaced without a cold start on the next burst. */
  minInstances: number;
  /** maxScale = instances at the target × this: room for bursts, still a cap on the bill and the quota. */
  burstFactor: number;
  /** The gateway mostly waits: high, but under its 512-call bulkheads so Cloud Run scales before they queue. */
  gatewayConcurrency: number;
  /** Memory limit ≥ RSS × this. */
  memoryHeadroom: number;
};

export const DEFAULT_POLICY: CapacityPolicy = {
  targetUtilisation: 0.6,
  scorerCpusPerInstance: 4,
  gatewayCpusPerInstance: 1,
  minInstances: 2,
  burstFactor: 2,
  gatewayConcurrency: 500,
  memoryHeadroom: 2,
};

/** One service's plan. */
export type ServicePlan = {
  cpuPerRequestMs: number;
  /** CPU-seconds per second at the target: busy vCPUs. */
  busyCpus: number;
  /** busyCpus ÷ target utilisation, rounded up. */
  cpus: number;
  instances: number;
  cpusPerInstance: number;
  minScale: number;
  maxScale: number;
  containerConcurrency: number;
  rssMiB: number;
  /** Kubernetes quantity, e.g. `2Gi`, `512Mi`. */
  memory: string;
  /** Requests in flight per instance at the target. */
  inFlightPerInstance: number;
};

export type CapacityPlan = {
  target: CapacityTarget;
  policy: CapacityPolicy;
  inputs: CapacityInputs;
  scorer: ServicePlan & { workers: number };
  gateway: ServicePlan;
  /** Compute at the target with instance-based billing, list prices (see PRICES). */
  costPerHourUsd: { scorerCpu: number; scorerMemory: number; gateway: number; total: number };
};

/** Cloud Run tier-1 list prices, instance-based billing, no free tier or discounts. */
export const PRICES = { vcpuSecondUsd: 0.000018, gibSecondUsd: 0.000002 } as const;

// Cloud Run's smallest memory for a number of vCPUs (and the floor this project keeps for 1 vCPU).
const MEMORY_FLOOR_MIB: Record<number, number> = { 1: 512, 2: 1024, 4: 2048, 6: 4096, 8: 4096 };

/** Computes the plan; throws on a target or input that is not a positive number. */
export function planCapacity(
  target: CapacityTarget,
  inputs: CapacityInputs,
  policy: CapacityPolicy = DEFAULT_POLICY,
): CapacityPlan {
  for (const [name, value] of Object.entries({ ...target, ...inputs })) {
    if (!(Number.isFinite(value) && value >= 0)) throw new Error(`capacity plan: ${name} is ${value}`);
  }
  if (target.requestsPerSecond <= 0) throw new Error('capacity plan: requestsPerSecond must be positive');
  const latencyS =
    (target.ioMs + target.modelCpuMs + inputs.scorerOverheadPerRequestMs + inputs.gatewayCpuPerRequestMs) / 1000;
  const service = (
    cpuPerRequestMs: number,
    cpusPerInstance: number,
    rssMiB: number,
    concurrency: number,
    inFlightS: number,
  ) => {
    const busyCpus = (target.requestsPerSecond * cpuPerRequestMs) / 1000;
    const cpus = Math.ceil(busyCpus / policy.targetUtilisation - 1e-9);
    const instances = Math.max(1, Math.ceil(cpus / cpusPerInstance));
    return {
      cpuPerRequestMs,
      busyCpus,
      cpus,
      instances,
      cpusPerInstance,
      minScale: Math.min(policy.minInstances, Math.ceil(instances * policy.burstFactor)),
      maxScale: Math.max(policy.minInstances, Math.ceil(instances * policy.burstFactor)),
      containerConcurrency: concurrency,
      rssMiB,
      memory: memoryQuantity(rssMiB * policy.memoryHeadroom, cpusPerInstance),
      inFlightPerInstance: (target.requestsPerSecond * inFlightS) / instances,
    };
  };
  const workers = policy.scorerCpusPerInstance;
  const scorerRss = inputs.scorerBaseRssMiB + inputs.scorerRssPerSessionMiB * workers;
  const scorerCpuMs = target.modelCpuMs + inputs.scorerOverheadPerRequestMs;
  const scorer = {
    ...service(scorerCpuMs, workers, scorerRss, workers * inputs.maxBatchSize * 2, scorerCpuMs / 1000),
    workers,
  };
  const gateway = service(
    inputs.gatewayCpuPerRequestMs,
    policy.gatewayCpusPerInstance,
    inputs.gatewayRssMiB,
    policy.gatewayConcurrency,
    latencyS,
  );
  const hourly = (vcpus: number, gib: number) => (vcpus * PRICES.vcpuSecondUsd + gib * PRICES.gibSecondUsd) * 3600;
  const scorerCpu = hourly(scorer.instances * workers, 0);
  const scorerMemory = hourly(0, (scorer.instances * mebibytes(scorer.memory)) / 1024);
  const gatewayCost = hourly(
    gateway.instances * gateway.cpusPerInstance,
    (gateway.instances * mebibytes(gateway.memory)) / 1024,
  );
  return {
    target,
    policy,
    inputs,
    scorer,
    gateway,
    costPerHourUsd: { scorerCpu, scorerMemory, gateway: gatewayCost, total: scorerCpu + scorerMemory + gatewayCost },
  };
}

/** The smallest power-of-two MiB (as `Mi`, or `Gi` from 1 GiB) holding `mib`, at least the floor for `cpus`. */
export function memoryQuantity(mib: number, cpus: number): string {
  const floor = MEMORY_FLOOR_MIB[cpus] ?? 512 * cpus;
  let size = 128;
  while (size < mib) size *= 2;
  const chosen = Math.max(size, floor);
  return chosen >= 1024 && chosen % 1024 === 0 ? `${chosen / 1024}Gi` : `${chosen}Mi`;
}

/** MiB of a `Mi`/`Gi` quantity. */
export function mebibytes(quantity: string): number {
  const match = /^(\d+)(Mi|Gi)$/.exec(quantity);
  if (match === null) throw new Error(`not a Mi/Gi quantity: ${quantity}`);
  return Number(match[1]) * (match[2] === 'Gi' ? 1024 : 1);
}

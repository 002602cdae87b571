import type { CapacityPlan, ServicePlan } from './capacity-plan.ts';
import { PRICES } from './capacity-plan.ts';
import { markdownTable } from './markdown.ts';

const ms = (value: number) => `${value.toFixed(2)} ms`;
const usd = (value: number) => `$${value.toFixed(2)}`;

/** The plan as the "Capacity plan" section of BENCHMARKS.md, with its arithmetic shown. */
export function renderCapacitySection(plan: CapacityPlan, command: string): string {
  const { target, policy, inputs, scorer, gateway } = plan;
  const rps = target.requestsPerSecond;
  const util = `${(policy.targetUtilisation * 100).toFixed(0)} %`;
  const arithmetic = (name: string, service: ServicePlan) =>
    `- **${name}:** ${rps} req/s × ${ms(service.cpuPerRequestMs)} = ${service.busyCpus.toFixed(2)} busy vCPUs; ÷ ${util} ` +
    `target utilisation = ${(service.busyCpus / policy.targetUtilisation).toFixed(2)} → **${service.cpus} vCPUs** → ` +
    `**${service.instances} × ${service.cpusPerInstance} vCPU**; maxScale ${service.instances} × ${policy.burstFactor} ` +
    `= ${service.maxScale}; minScale ${service.minScale}; memory: RSS ${service.rssMiB.toFixed(0)} MiB × ` +
    `${policy.memoryHeadroom} → ${service.memory}; ${service.inFlightPerInstance.toFixed(1)} requests in flight per ` +
    'instance at the target.';
  return [
    '## Capacity plan',
    `Target: **${rps} requests/s, ${target.ioMs} ms of I/O and ${target.modelCpuMs} ms of model CPU each** ` +
      `(\`${command}\`; other targets: \`pnpm --filter @splitserve/loadtest capacity -- --rps <n> --io-ms <ms> ` +
      '--cpu-ms <ms>`). Computed by `loadtest/bench/capacity-plan.ts` from the results above; ' +
      '`deploy/test/capacity-plan.test.ts` fails when the Cloud Run manifests or the cost section of ' +
      '`deploy/README.md` disagree with it (`capacity -- --write` updates them).',
    markdownTable(
      ['Measured input', 'Value', 'From'],
      [
        [
          'gateway CPU per /v1/score',
          ms(inputs.gatewayCpuPerRequestMs),
          'gateway bench, highest open-loop rate served without failures',
        ],
        [
          'scorer CPU per request beyond the model',
          ms(inputs.scorerOverheadPerRequestMs),
          'scorer bench: binary single-row request − raw session.run (interests)',
        ],
        [
          'scorer RSS: base + per worker session',
          `${inputs.scorerBaseRssMiB.toFixed(0)} + ${inputs.scorerRssPerSessionMiB.toFixed(0)} MiB`,
          'scorer bench, cold start and memory (interests-heavy)',
        ],
        [
          'gateway RSS',
          `${inputs.gatewayRssMiB.toFixed(0)} MiB`,
          'comparison bench, after its last, overloaded window (peak-like)',
        ],
        [
          'interests-heavy CPU per row, batches filled',
          `${ms(inputs.batchedCpuPerRowMs)} at ${inputs.batchedMeanRows.toFixed(1)} rows/batch`,
          'scorer bench, 64 clients saturating (not used: see below)',
        ],
      ],
      [1],
    ),
    '**Arithmetic** (vCPUs = busy CPU-seconds per second ÷ target utilisation, rounded up):',
    [
      arithmetic('Scorer', scorer) +
        ` CPU per request = ${target.modelCpuMs} ms model + ${ms(inputs.scorerOverheadPerRequestMs)} serving. ` +
        `SCORER_INSTANCES = ${scorer.workers} (one worker per vCPU); containerConcurrency = ${scorer.workers} workers × ` +
        `maxBatchSize ${inputs.maxBatchSize} × 2 = ${scorer.containerConcurrency}.`,
      arithmetic('Gateway', gateway) +
        ` containerConcurrency ${gateway.containerConcurrency}: it mostly waits, so CPU, not concurrency, makes ` +
        'Cloud Run scale it (it stays under the 512-call bulkheads).',
    ].join('\n'),
    'Why one row’s CPU and not the batched figure: Cloud Run adds instances when CPU passes its 60 % target, which ' +
      'keeps each worker idle between requests often enough that batches stay near one row. Batches fill only when ' +
      'workers are saturated (the batched row above, several times cheaper per row, but with a queue of a batch or ' +
      'more in front of every request). Planning on it would halve or quarter the scorer but run it at 100 % CPU.',
    markdownTable(
      ['Service', 'vCPUs at target', 'Instances × vCPU', 'min / max instances', 'Concurrency', 'Memory', 'CPU'],
      [
        [
          'scorer',
          String(scorer.cpus),
          `${scorer.instances} × ${scorer.cpusPerInstance}`,
          `${scorer.minScale} / ${scorer.maxScale}`,
          String(scorer.containerConcurrency),
          scorer.memory,
          'always allocated, startup boost',
        ],
        [
          'io-gateway',
          String(gateway.cpus),
          `${gateway.instances} × ${gateway.cpusPerInstance}`,
          `${gateway.minScale} / ${gateway.maxScale}`,
          String(gateway.containerConcurrency),
          gateway.memory,
          'always allocated, startup boost',
        ],
      ],
      [1, 4],
    ),
    deployCostBlock(plan),
  ].join('\n\n');
}

/**
 * The cost section of deploy/README.md (between its capacity-plan markers): compute at the target with
 * instance-based billing.
 */
export function deployCostBlock(plan: CapacityPlan): string {
  const { scorer, gateway, costPerHourUsd: cost } = plan;
  const scorerCpus = scorer.instances * scorer.cpusPerInstance;
  const gatewayCpus = gateway.instances * gateway.cpusPerInstance;
  const month = (hourly: number) => `$${Math.round(hourly * 720).toLocaleString('en-US')}`;
  return [
    `Compute at ${plan.target.requestsPerSecond} requests/s (${scorer.instances} scorer instances × ` +
      `${scorer.cpusPerInstance} vCPU, ${scorer.memory}; ${gateway.instances} gateway instances × ` +
      `${gateway.cpusPerInstance} vCPU, ${gateway.memory}), instance-based billing at list prices ` +
      `($${PRICES.vcpuSecondUsd} per vCPU-second, $${PRICES.gibSecondUsd} per GiB-second, no free tier or discounts):`,
    markdownTable(
      ['item', 'per hour', 'per 30 days'],
      [
        ['scorer CPU', `${scorerCpus} vCPUs → ${usd(cost.scorerCpu)}`, month(cost.scorerCpu)],
        ['scorer memory', usd(cost.scorerMemory), month(cost.scorerMemory)],
        ['gateway CPU and memory', `${gatewayCpus} vCPUs → ${usd(cost.gateway)}`, month(cost.gateway)],
        ['**compute**', `**${usd(cost.total)}**`, `**${month(cost.total)}**`],
      ],
      [2],
    ),
  ].join('\n\n');
}

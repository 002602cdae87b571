import { setTimeout as sleep } from 'node:timers/promises';
import type { BenchRunContext } from '../bench-context.ts';
import { startLoadClient, stopAll, type LoadClient } from '../bench-processes.ts';
import {
  architectureFigures,
  architectureRound,
  highestRateHeld,
  latencyPerConcurrentRequestMs,
  type ArchitectureFigures,
  type ArchitectureRound,
} from '../comparison-figures.ts';
import {
  ARCHITECTURES,
  createComparisonFixture,
  startMocks,
  startSystem,
  type Architecture,
  type ComparisonFixture,
  type Mocks,
  type System,
} from '../comparison-stack.ts';
import { comparisonLayout, type ComparisonLayout } from '../cpu-layout.ts';
import { scoreRequest } from '../gateway-stack.ts';
import { runPairedRounds, type Window } from '../interleaved-rounds.ts';
import { readRssBytes } from '../proc-stats.ts';

/** Both architectures at one offered rate. */
export type ComparisonPoint = { ratePerSecond: number } & Record<Architecture, ArchitectureFigures>;

/** Everything measured at one upstream latency. */
export type UpstreamComparison = {
  upstreamLatencyMs: number;
  jitterMs: number;
  points: ComparisonPoint[];
  /** The highest offered rate each architecture held (see comparison-figures.ts), undefined if not the lowest. */
  heldUpTo: Record<Architecture, number | undefined>;
  /** Mean latency added per request in flight, fitted over the rates each architecture held. */
  latencyPerConcurrentMs: Record<Architecture, number>;
  /** Resident memory of each process after the last window, MiB. */
  rssMiB: { monolith: number; gateway: number; scorer: number };
};

export type ComparisonMeasurements = {
  rounds: number;
  warmupMs: number;
  windowMs: number;
  maxInFlight: number;
  /** The CPU budget, the same for both architectures. */
  systemCpus: number;
  layout: string;
  upstreams: UpstreamComparison[];
};

// After an overloaded window the split gateway's circuit to the scorer may be open (half-open after 5 s): the next
// window waits until the system answers again, so one window's overload is not charged to the next.
const RECOVERY_TIMEOUT_MS = 15_000;

/**
 * The seed's comparison: the monolith (the gateway app scoring on its own event loop) against the split stack
 * (gateway + scorer with a worker thread), same pipeline, same ≈3 ms model, same CPUs, same mock sources, at
 * constant arrival rates from well below to past either's knee, at each upstream latency of the profile. Each
 * rate runs both architectures back to back in every round.
 */
export async function measureComparison(context: BenchRunContext): Promise<ComparisonMeasurements> {
  const settings = context.profile.comparison;
  const layout = comparisonLayout(context.machine);
  const fixture = await createComparisonFixture();
  const client = startLoadClient(layout.outside);
  try {
    const upstreams: UpstreamComparison[] = [];
    for (const upstream of settings.upstreams) {
      upstreams.push(await measureAtLatency(context, fixture, client, layout, upstream));
    }
    return {
      rounds: settings.rounds,
      warmupMs: settings.warmupMs,
      windowMs: settings.windowMs,
      maxInFlight: settings.maxInFlight,
      systemCpus: layout.systemCpus,
      layout: layout.description,
      upstreams,
    };
  } finally {
    await stopAll([client]);
    await fixture.remove();
  }
}

async function measureAtLatency(
  context: BenchRunContext,
  fixture: ComparisonFixture,
  client: LoadClient,
  layout: ComparisonLayout,
  upstream: { latencyMs: number; jitterMs: number },
): Promise<UpstreamComparison> {
  const settings = context.profile.comparison;
  const mocks: Mocks = await startMocks(upstream.latencyMs, upstream.jitterMs, layout.outside);
  const systems: System[] = [];
  try {
    for (const architecture of ARCHITECTURES)
      systems.push(await startSystem(architecture, fixture, mocks, layout.system));
    const systemOf = (architecture: Architecture) => systems.find((s) => s.architecture === architecture)!;
    const window = (architecture: Architecture, ratePerSecond: number): Window<ArchitectureRound> => ({
      key: `${architecture} ${ratePerSecond}/s`,
      run: async () => {
        const system = systemOf(architecture);
        await untilServing(client, system);
        const result = await client.open({
          origin: system.entry.origin,
          request: scoreRequest(),
          ratePerSecond,
          warmupMs: settings.warmupMs,
          windowMs: settings.windowMs,
          maxInFlight: settings.maxInFlight,
          cpuPid: system.pids[0]!,
          stackPids: system.pids.slice(1),
        });
        return architectureRound(result, settings.windowMs);
      },
    });
    const pairs = settings.ratesPerSecond.map((rate) => [window('monolith', rate), window('split', rate)] as const);
    const results = await runPairedRounds(settings.rounds, pairs, (key, round) =>
      context.progress(`comparison ${upstream.latencyMs} ms upstreams, round ${round + 1}/${settings.rounds}: ${key}`),
    );
    const points: ComparisonPoint[] = settings.ratesPerSecond.map((rate) => ({
      ratePerSecond: rate,
      monolith: architectureFigures(results.get(`monolith ${rate}/s`)!, rate),
      split: architectureFigures(results.get(`split ${rate}/s`)!, rate),
    }));
    const per = <T>(compute: (architecture: Architecture) => T) =>
      Object.fromEntries(ARCHITECTURES.map((a) => [a, compute(a)])) as Record<Architecture, T>;
    const rss = (pid: number) => readRssBytes(pid) / 2 ** 20;
    const split = systemOf('split');
    const rssMiB = {
      monolith: rss(systemOf('monolith').pids[0]!),
      gateway: rss(split.pids[0]!),
      scorer: rss(split.pids[1]!),
    };
    const heldUpTo = per((a) =>
      highestRateHeld(points.map((p) => ({ ratePerSecond: p.ratePerSecond, figures: p[a] }))),
    );
    return {
      upstreamLatencyMs: upstream.latencyMs,
      jitterMs: upstream.jitterMs,
      points,
      heldUpTo,
      latencyPerConcurrentMs: per((a) =>
        latencyPerConcurrentRequestMs(points.filter((p) => p.ratePerSecond <= (heldUpTo[a] ?? 0)).map((p) => p[a])),
      ),
      rssMiB,
    };
  } finally {
    await stopAll(systems);
    await mocks.stop();
  }
}

/** Sends single requests until two in a row are answered 2xx. Throws if the system does not recover in time. */
async function untilServing(client: LoadClient, system: System): Promise<void> {
  const deadline = performance.now() + RECOVERY_TIMEOUT_MS;
  let inARow = 0;
  while (inARow < 2) {
    if (performance.now() > deadline) {
      throw new Error(`${system.architecture} did not answer 2xx again within ${RECOVERY_TIMEOUT_MS} ms`);
    }
    const probe = await client.sequential({
      origin: system.entry.origin,
      request: scoreRequest(),
      warmup: { requests: 0, ms: 0 },
      window: { requests: 1, ms: 1_000 },
    });
    inARow = probe.failures === 0 && probe.requests === 1 ? inARow + 1 : 0;
    if (inARow < 2) await sleep(inARow === 0 ? 250 : 0);
  }
}

import { sumBatchHistograms, type BatchHistogram } from '../batch-histogram.ts';
import type { BenchContext } from '../bench-context.ts';
import { startLoadClient, stopAll } from '../bench-processes.ts';
import { getRequest, singleRowRequest } from '../inference-request.ts';
import { runInterleaved, type Window } from '../interleaved-rounds.ts';
import type { ConcurrentResult } from '../load-client.ts';
import { median } from '../percentiles.ts';
import { describeSettings } from '../scorer-process.ts';
import type { RunningVariant } from '../scorer-variants.ts';
import type { LatencyFigures } from './sequential-latency.ts';
import { medianCores, othersCpuNs } from './window-cpu.ts';

export type LivenessResults = {
  rounds: number;
  model: string;
  connections: number;
  probeIntervalMs: number;
  variants: {
    variant: string;
    settings: string;
    /** `/v2/health/live` with nothing else running. */
    idle: LatencyFigures & { samples: number };
    /** `/v2/health/live` while `connections` clients keep every worker busy. */
    saturated: LatencyFigures & { samples: number };
    loadRowsPerSecond: number;
    /** CPUs the inference workers kept busy: equal to the instance count when they are saturated. */
    workerCores: number;
    mainCores: number;
    /** CPUs everything else on the machine kept busy meanwhile. */
    othersCores: number;
    batches: BatchHistogram;
  }[];
};

/**
 * `GET /v2/health/live` latency, probed one at a time on its own connection every few milliseconds, first with
 * the scorer idle and then while many clients keep every worker of the slowest model busy.
 */
export async function measureLiveness(
  context: BenchContext,
  scorers: readonly RunningVariant[],
): Promise<LivenessResults> {
  const { profile, fixtures } = context;
  const settings = profile.liveness;
  const cpus = context.layout;
  const client = startLoadClient(cpus.client);
  try {
    const model = fixtures.heavy;
    const request = singleRowRequest(model);
    const probe = { request: getRequest('/v2/health/live'), intervalMs: settings.intervalMs };
    const windows: Window<ConcurrentResult>[] = scorers.flatMap(({ variant, server }) => [
      {
        key: `idle ${variant.label}`,
        run: () =>
          client.concurrent({
            origin: server.origin,
            request,
            rowsPerRequest: 1,
            connections: 0,
            warmupMs: 0,
            windowMs: settings.idleMs,
            probe,
          }),
      },
      {
        key: `saturated ${variant.label}`,
        run: () =>
          client.concurrent({
            origin: server.origin,
            request,
            rowsPerRequest: 1,
            connections: settings.connections,
            warmupMs: settings.warmupMs,
            windowMs: settings.windowMs,
            probe,
            batchesOf: model.name,
            cpuPid: server.pid,
          }),
      },
    ]);
    const results = await runInterleaved(settings.rounds, windows, (key, round) =>
      context.progress(`liveness round ${round + 1}/${settings.rounds}: ${key}`),
    );
    return {
      rounds: settings.rounds,
      model: model.name,
      connections: settings.connections,
      probeIntervalMs: settings.intervalMs,
      variants: scorers.map(({ variant }) => {
        const idle = results.get(`idle ${variant.label}`)!;
        const saturated = results.get(`saturated ${variant.label}`)!;
        return {
          variant: variant.label,
          settings: describeSettings(variant.settings),
          idle: probeFigures(idle),
          saturated: probeFigures(saturated),
          loadRowsPerSecond: median(saturated.map((round) => round.rowsPerSecond)),
          workerCores: medianCores(saturated, settings.windowMs, (round) => round.serverCpu?.workerNs),
          mainCores: medianCores(saturated, settings.windowMs, (round) => round.serverCpu?.mainNs),
          othersCores: medianCores(saturated, settings.windowMs, othersCpuNs),
          batches: sumBatchHistograms(saturated.map((round) => round.batches)),
        };
      }),
    };
  } finally {
    await stopAll([client]);
  }
}

function probeFigures(rounds: readonly ConcurrentResult[]): LatencyFigures & { samples: number } {
  return {
    p50Ms: median(rounds.map((round) => round.probeLatencyMs?.p50 ?? Number.NaN)),
    p99Ms: median(rounds.map((round) => round.probeLatencyMs?.p99 ?? Number.NaN)),
    samples: rounds.reduce((sum, round) => sum + (round.probeLatencyMs?.count ?? 0), 0),
  };
}

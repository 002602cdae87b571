import { sumBatchHistograms, type BatchHistogram } from '../batch-histogram.ts';
import type { BenchContext } from '../bench-context.ts';
import { startLoadClient, startRawRunner, stopAll } from '../bench-processes.ts';
import { startHttpFloor } from '../http-floor.ts';
import { inferRequest, singleRowRequest } from '../inference-request.ts';
import { runInterleaved, type Window } from '../interleaved-rounds.ts';
import type { ConcurrentResult } from '../load-client.ts';
import { rawModel } from '../model-fixtures.ts';
import { median } from '../percentiles.ts';
import type { RawResult } from '../raw-onnxruntime.ts';
import { describeSettings } from '../scorer-process.ts';
import { medianCores, othersCpuNs } from './window-cpu.ts';
import type { RunningVariant, ScorerVariant } from '../scorer-variants.ts';

/** CPUs a process kept busy during a window (1 = one core the whole time). */
export type CoresUsed = { main: number; worker: number; other: number; total: number };

export type ScorerThroughput = {
  variant: string;
  settings: string;
  connections: number;
  rowsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  failures: number;
  /** `scorer_batch_rows` over all rounds' windows. */
  batches: BatchHistogram;
  serverCores: CoresUsed;
  clientCores: number;
  /** CPUs everything else on the machine kept busy meanwhile. */
  othersCores: number;
};

/** The HTTP floor server under the same load: what any Node HTTP server with JSON bodies reaches here. */
export type FloorThroughput = {
  connections: number;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  cores: number;
  clientCores: number;
  othersCores: number;
};

export type ThroughputResults = {
  rounds: number;
  floor: FloorThroughput[];
  models: {
    model: string;
    description: string;
    raw: { batch1RowsPerSecond: number; batched: { batchSize: number; rowsPerSecond: number }[] };
    scorer: ScorerThroughput[];
  }[];
};

/**
 * Rows per second with many concurrent single-row clients, per scorer settings variant and client count, against
 * raw onnxruntime at batch 1 (the baseline of the targets) and at larger batches (the ceiling batching can reach
 * on one session), and the HTTP floor under the same load (the ceiling of any Node HTTP server here). The
 * variants' scorers, started by the caller, are measured in interleaved rounds.
 */
export async function measureThroughput(
  context: BenchContext,
  scorers: readonly RunningVariant[],
): Promise<ThroughputResults> {
  const { profile, fixtures } = context;
  const cpus = context.layout;
  const client = startLoadClient(cpus.client);
  const raw = startRawRunner(cpus.serving);
  const floor = await startHttpFloor(cpus.serving);
  try {
    const models = [fixtures.interests, fixtures.light];
    const { warmupMs, windowMs } = profile.concurrent;
    const windows: Window<ConcurrentResult | RawResult>[] = [];
    const { input, width } = fixtures.interests;
    const floorRequest = inferRequest({ model: 'floor', input, width, rows: 1, encoding: 'json' });
    for (const connections of profile.concurrent.connections) {
      windows.push({
        key: `floor ${connections}`,
        run: () =>
          client.concurrent({
            origin: floor.origin,
            request: floorRequest,
            rowsPerRequest: 1,
            connections,
            warmupMs,
            windowMs,
            cpuPid: floor.pid,
          }),
      });
    }
    for (const model of models) {
      for (const batchSize of [1, ...profile.raw.batchSizes]) {
        windows.push({
          key: `raw ${model.name} ${batchSize}`,
          run: () => raw.run({ ...rawModel(model), batchSize, warmup: profile.raw.warmup, window: profile.raw.window }),
        });
      }
      const request = singleRowRequest(model);
      for (const { variant, server } of scorers) {
        for (const connections of profile.concurrent.connections) {
          windows.push({
            key: `scorer ${model.name} ${variant.label} ${connections}`,
            run: () =>
              client.concurrent({
                origin: server.origin,
                request,
                rowsPerRequest: 1,
                connections,
                warmupMs,
                windowMs,
                batchesOf: model.name,
                cpuPid: server.pid,
              }),
          });
        }
      }
    }
    const results = await runInterleaved(profile.concurrent.rounds, windows, (key, round) =>
      context.progress(`throughput round ${round + 1}/${profile.concurrent.rounds}: ${key}`),
    );
    const rawRowsPerSecond = (model: string, batchSize: number) =>
      median((results.get(`raw ${model} ${batchSize}`) as RawResult[]).map((round) => round.rowsPerSecond));
    return {
      rounds: profile.concurrent.rounds,
      floor: profile.concurrent.connections.map((connections) => {
        const rounds = results.get(`floor ${connections}`) as ConcurrentResult[];
        return {
          connections,
          requestsPerSecond: median(rounds.map((round) => round.rowsPerSecond)),
          p50Ms: median(rounds.map((round) => round.latencyMs.p50)),
          p99Ms: median(rounds.map((round) => round.latencyMs.p99)),
          cores: medianCores(rounds, windowMs, (round) => round.serverCpu?.totalNs),
          clientCores: medianCores(rounds, windowMs, (round) => round.clientCpuNs),
          othersCores: medianCores(rounds, windowMs, othersCpuNs),
        };
      }),
      models: models.map((model) => ({
        model: model.name,
        description: model.description,
        raw: {
          batch1RowsPerSecond: rawRowsPerSecond(model.name, 1),
          batched: profile.raw.batchSizes.map((batchSize) => ({
            batchSize,
            rowsPerSecond: rawRowsPerSecond(model.name, batchSize),
          })),
        },
        scorer: scorers.flatMap(({ variant }) =>
          profile.concurrent.connections.map((connections) =>
            aggregate(
              variant,
              connections,
              results.get(`scorer ${model.name} ${variant.label} ${connections}`) as ConcurrentResult[],
              profile.concurrent.windowMs,
            ),
          ),
        ),
      })),
    };
  } finally {
    await stopAll([client, raw, floor]);
  }
}

function aggregate(
  variant: ScorerVariant,
  connections: number,
  rounds: readonly ConcurrentResult[],
  windowMs: number,
): ScorerThroughput {
  const cores = (pick: (round: ConcurrentResult) => number | undefined) => medianCores(rounds, windowMs, pick);
  return {
    variant: variant.label,
    settings: describeSettings(variant.settings),
    connections,
    rowsPerSecond: median(rounds.map((round) => round.rowsPerSecond)),
    p50Ms: median(rounds.map((round) => round.latencyMs.p50)),
    p99Ms: median(rounds.map((round) => round.latencyMs.p99)),
    failures: rounds.reduce((sum, round) => sum + round.failures, 0),
    batches: sumBatchHistograms(rounds.map((round) => round.batches)),
    serverCores: {
      main: cores((round) => round.serverCpu?.mainNs),
      worker: cores((round) => round.serverCpu?.workerNs),
      other: cores((round) => round.serverCpu?.otherNs),
      total: cores((round) => round.serverCpu?.totalNs),
    },
    clientCores: cores((round) => round.clientCpuNs),
    othersCores: cores(othersCpuNs),
  };
}

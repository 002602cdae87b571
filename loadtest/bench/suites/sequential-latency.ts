import type { BenchContext } from '../bench-context.ts';
import { startLoadClient, startRawRunner, stopAll } from '../bench-processes.ts';
import { startHttpFloor } from '../http-floor.ts';
import { inferRequest, singleRowRequest, type BodyEncoding } from '../inference-request.ts';
import { runInterleaved, type Window } from '../interleaved-rounds.ts';
import type { SequentialResult } from '../load-client.ts';
import { rawModel, type BenchModel } from '../model-fixtures.ts';
import { median } from '../percentiles.ts';
import type { RawResult } from '../raw-onnxruntime.ts';
import { describeSettings, startScorer } from '../scorer-process.ts';

/** Medians over rounds of each round's percentiles. */
export type LatencyFigures = { p50Ms: number; p99Ms: number };

/** CPU per request of a server process, by thread role, in microseconds. */
export type CpuFigures = { mainUs: number; workerUs: number; otherUs: number; totalUs: number };

export type ServerFigures = LatencyFigures & { cpuPerRequestUs: CpuFigures; requests: number; failures: number };

export type SequentialLatencyResults = {
  rounds: number;
  scorerSettings: string;
  /** The bare node:http server that parses the same JSON body. */
  floor: ServerFigures;
  models: {
    model: string;
    description: string;
    raw: LatencyFigures & { cpuPerRunUs: number; runs: number };
    scorer: Partial<Record<BodyEncoding, ServerFigures>>;
  }[];
};

/**
 * Single-row latency and CPU per request, one request at a time: raw `session.run`, the scorer (JSON, and the
 * binary extension for the fast model, where encoding could matter), and the HTTP floor, interleaved by round.
 * Server CPU comes from the server's /proc over exactly the requests the client timed.
 */
export async function measureSequentialLatency(context: BenchContext): Promise<SequentialLatencyResults> {
  const { profile, fixtures, machine } = context;
  const cpus = context.layout;
  const settings = { instances: machine.cores };
  const client = startLoadClient(cpus.client);
  const raw = startRawRunner(cpus.serving);
  const [scorer, floor] = await Promise.all([
    startScorer({ modelRepository: fixtures.servingRepository, settings, cpus: cpus.serving }),
    startHttpFloor(cpus.serving),
  ]);
  try {
    const { warmup, window } = profile.sequential;
    const models: { model: BenchModel; encodings: BodyEncoding[] }[] = [
      { model: fixtures.interests, encodings: ['json', 'binary'] },
      { model: fixtures.light, encodings: ['json'] },
    ];
    const http: Window<SequentialResult | RawResult>[] = [];
    for (const { model, encodings } of models) {
      http.push({
        key: `raw ${model.name}`,
        run: () => raw.run({ ...rawModel(model), batchSize: 1, warmup, window }),
      });
      for (const encoding of encodings) {
        const request = singleRowRequest(model, encoding);
        http.push({
          key: `scorer ${model.name} ${encoding}`,
          run: () => client.sequential({ origin: scorer.origin, request, warmup, window, cpuPid: scorer.pid }),
        });
      }
    }
    const { input, width } = fixtures.interests;
    const floorRequest = inferRequest({ model: 'floor', input, width, rows: 1, encoding: 'json' });
    http.push({
      key: 'floor',
      run: () => client.sequential({ origin: floor.origin, request: floorRequest, warmup, window, cpuPid: floor.pid }),
    });

    const results = await runInterleaved(profile.sequential.rounds, http, (key, round) =>
      context.progress(`sequential round ${round + 1}/${profile.sequential.rounds}: ${key}`),
    );
    const serverFigures = (key: string) => aggregateServer(results.get(key) as SequentialResult[]);
    return {
      rounds: profile.sequential.rounds,
      scorerSettings: describeSettings(settings),
      floor: serverFigures('floor'),
      models: models.map(({ model, encodings }) => ({
        model: model.name,
        description: model.description,
        raw: aggregateRaw(results.get(`raw ${model.name}`) as RawResult[]),
        scorer: Object.fromEntries(
          encodings.map((encoding) => [encoding, serverFigures(`scorer ${model.name} ${encoding}`)]),
        ),
      })),
    };
  } finally {
    await stopAll([client, raw, scorer, floor]);
  }
}

function aggregateServer(rounds: readonly SequentialResult[]): ServerFigures {
  const perRequestUs = (pick: (round: SequentialResult) => number | undefined) =>
    median(rounds.map((round) => (pick(round) ?? Number.NaN) / round.requests / 1000));
  return {
    p50Ms: median(rounds.map((round) => round.latencyMs.p50)),
    p99Ms: median(rounds.map((round) => round.latencyMs.p99)),
    cpuPerRequestUs: {
      mainUs: perRequestUs((round) => round.serverCpu?.mainNs),
      workerUs: perRequestUs((round) => round.serverCpu?.workerNs),
      otherUs: perRequestUs((round) => round.serverCpu?.otherNs),
      totalUs: perRequestUs((round) => round.serverCpu?.totalNs),
    },
    requests: rounds.reduce((sum, round) => sum + round.requests, 0),
    failures: rounds.reduce((sum, round) => sum + round.failures, 0),
  };
}

function aggregateRaw(rounds: readonly RawResult[]): SequentialLatencyResults['models'][number]['raw'] {
  return {
    p50Ms: median(rounds.map((round) => round.latencyMs.p50)),
    p99Ms: median(rounds.map((round) => round.latencyMs.p99)),
    cpuPerRunUs: median(rounds.map((round) => round.cpuPerRunNs / 1000)),
    runs: rounds.reduce((sum, round) => sum + round.runs, 0),
  };
}

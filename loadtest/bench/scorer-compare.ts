// node loadtest/bench/scorer-compare.ts [--rounds 5] [--window-ms 1500] [--models interests,interests-3ms] [--liveness]
//   [--hog 1]
//   <label>=<source>[:VAR=value,...] ...
// Side-by-side measurement of scorer variants for a change's before/after: single-row latency and CPU per request
// (with raw onnxruntime and the HTTP floor), or with --liveness /v2/health/live under 64 clients on
// interests-heavy, all windows interleaved by round. <source> is `worktree` or a git revision (its services/scorer
// and libs, with this tree's node_modules), or `floor-inline` / `floor-worker` (scorer-floor-server.ts).
// --hog N keeps N busy-looping processes (nice 0) running meanwhile.
// Wrap it in `flock /tmp/splitserve-heavy.lock`.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startLoadClient, startRawRunner, stopAll } from './bench-processes.ts';
import { parseVariants, sourceTrees, takeFlag, type Variant } from './compare-variants.ts';
import { cpuLayout } from './cpu-layout.ts';
import { startHttpFloor } from './http-floor.ts';
import { getRequest, inferRequest, singleRowRequest } from './inference-request.ts';
import { runInterleaved, type Window } from './interleaved-rounds.ts';
import type { ConcurrentResult, SequentialResult } from './load-client.ts';
import type { CpuSplit } from './proc-stats.ts';
import { describeMachine } from './machine.ts';
import { createModelFixtures, rawModel } from './model-fixtures.ts';
import { median } from './percentiles.ts';
import type { RawResult } from './raw-onnxruntime.ts';
import { startServerProcess, type ServerProcess } from './server-process.ts';

const argv = process.argv.slice(2);
const flag = (name: string) => takeFlag(argv, name);
const rounds = Number(flag('--rounds') ?? 5);
const windowMs = Number(flag('--window-ms') ?? 1_500);
const models = (flag('--models') ?? 'interests,interests-3ms').split(',');
const hogs = Number(flag('--hog') ?? 0);
const liveness = argv.includes('--liveness');
const variants = parseVariants(argv);

const machine = describeMachine();
const layout = cpuLayout(machine);
const fixtures = await createModelFixtures();
const trees = sourceTrees(['services/scorer', 'libs/contracts', 'libs/service-kit']);
const servers: { variant: Variant; server: ServerProcess }[] = [];
const hogProcesses: ChildProcess[] = [];
const client = startLoadClient(layout.client);
const raw = liveness ? undefined : startRawRunner(layout.serving);
let floor: ServerProcess | undefined;
try {
  for (const variant of variants) {
    servers.push({ variant, server: await startVariant(variant) });
  }
  if (!liveness) floor = await startHttpFloor(layout.serving);
  for (let i = 0; i < hogs; i++) {
    hogProcesses.push(spawn(process.execPath, ['-e', 'for (;;);'], { stdio: 'ignore' }));
  }
  console.log(`${machine.cpuModel}, ${machine.cores} cores; ${layout.description}; ${rounds} rounds; hogs: ${hogs}`);
  if (liveness) await compareLiveness();
  else await compareSequential();
} finally {
  for (const hog of hogProcesses) hog.kill();
  await stopAll([client, ...(raw ? [raw] : []), ...(floor ? [floor] : []), ...servers.map(({ server }) => server)]);
  await fixtures.remove();
  await trees.removeAll();
}

async function startVariant(variant: Variant): Promise<ServerProcess> {
  const floor = /^floor-(inline|worker)$/.exec(variant.source)?.[1];
  return startServerProcess({
    name: variant.label,
    script:
      floor === undefined
        ? path.join(await trees.root(variant.source), 'services/scorer/src/main.ts')
        : fileURLToPath(new URL('./scorer-floor-server.ts', import.meta.url)),
    env: {
      ...(floor !== undefined && { FLOOR_RUN: floor }),
      PATH: process.env['PATH'] ?? '',
      PORT: '0',
      HOST: '127.0.0.1',
      MODEL_REPOSITORY: fixtures.servingRepository,
      LOG_LEVEL: 'info',
      SCORER_INSTANCES: String(machine.cores),
      ...variant.env,
    },
    cpus: layout.serving,
    readyMessage: 'ready',
    timeoutMs: 60_000,
  });
}

async function compareSequential(): Promise<void> {
  const warmup = { requests: 300, ms: 400 };
  const window = { requests: 20_000, ms: windowMs };
  const windows: Window<SequentialResult | RawResult>[] = [];
  const picked = models.map((name) =>
    [fixtures.interests, fixtures.light, fixtures.heavy].find((m) => m.name === name)!,
  );
  for (const model of picked) {
    windows.push({
      key: `raw ${model.name}`,
      run: () => raw!.run({ ...rawModel(model), batchSize: 1, warmup, window }),
    });
    const request = singleRowRequest(model);
    for (const { variant, server } of servers) {
      windows.push({
        key: `${variant.label} ${model.name}`,
        run: () => client.sequential({ origin: server.origin, request, warmup, window, cpuPid: server.pid }),
      });
    }
  }
  const floorRequest = inferRequest({ model: 'floor', input: 'features', width: 64, rows: 1, encoding: 'json' });
  windows.push({
    key: 'HTTP floor',
    run: () => client.sequential({ origin: floor!.origin, request: floorRequest, warmup, window, cpuPid: floor!.pid }),
  });
  const results = await runInterleaved(rounds, windows);
  const first = variants[0]!.label;
  console.log(
    `| Window | p50 | p99 | CPU µs/request | main | workers | other | Requests | CPU by round | Δ CPU µs, Δ main µs, Δ p50 ms vs ${first} |`,
  );
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: |');
  for (const [key, perRound] of results) {
    const p = (pick: (round: SequentialResult | RawResult) => number) => median(perRound.map(pick));
    const latency = `${p((r) => r.latencyMs.p50).toFixed(3)} ms | ${p((r) => r.latencyMs.p99).toFixed(3)} ms`;
    if (key.startsWith('raw ')) {
      const cpu = p((r) => (r as RawResult).cpuPerRunNs / 1000).toFixed(1);
      console.log(`| ${key} | ${latency} | ${cpu} |  |  |  |  |  |  |`);
      continue;
    }
    const perRequestUs = (r: SequentialResult, part: keyof CpuSplit) =>
      (r.serverCpu?.[part] ?? NaN) / r.requests / 1000;
    const cpu = (part: keyof CpuSplit) => p((r) => perRequestUs(r as SequentialResult, part)).toFixed(1);
    const count = perRound.reduce((sum, r) => sum + (r as SequentialResult).requests, 0);
    const byRound = perRound.map((r) => perRequestUs(r as SequentialResult, 'totalNs').toFixed(0)).join(', ');
    // The windows of one round ran back to back: the median of per-round differences shrugs off a noisy round.
    const baseline = results.get(key.replace(/^\S+/, first)) as SequentialResult[] | undefined;
    const delta = (part: keyof CpuSplit) =>
      median(perRound.map((r, i) => perRequestUs(r as SequentialResult, part) - perRequestUs(baseline![i]!, part)));
    const p50Delta = () => median(perRound.map((r, i) => r.latencyMs.p50 - baseline![i]!.latencyMs.p50));
    const deltas =
      baseline === undefined || key === 'HTTP floor'
        ? ''
        : `${delta('totalNs').toFixed(1)}, ${delta('mainNs').toFixed(1)}, ${p50Delta().toFixed(3)}`;
    console.log(
      `| ${key} | ${latency} | ${cpu('totalNs')} | ${cpu('mainNs')} | ${cpu('workerNs')} | ${cpu('otherNs')} | ${count} | ${byRound} | ${deltas} |`,
    );
  }
}

async function compareLiveness(): Promise<void> {
  const model = fixtures.heavy;
  const request = singleRowRequest(model);
  const probe = { request: getRequest('/v2/health/live'), intervalMs: 5 };
  const windows: Window<ConcurrentResult>[] = servers.map(({ variant, server }) => ({
    key: variant.label,
    run: () =>
      client.concurrent({
        origin: server.origin,
        request,
        rowsPerRequest: 1,
        connections: 64,
        warmupMs: 1_000,
        windowMs: 2_000,
        probe,
        cpuPid: server.pid,
      }),
  }));
  const results = await runInterleaved(rounds, windows);
  console.log(`| Variant (64 clients on ${model.name}) | live p50 | live p99 | p99 by round | rows/s |`);
  console.log('| --- | ---: | ---: | --- | ---: |');
  for (const [key, perRound] of results) {
    const p99s = perRound.map((r) => r.probeLatencyMs?.p99 ?? NaN);
    const p50 = median(perRound.map((r) => r.probeLatencyMs?.p50 ?? NaN));
    const rows = median(perRound.map((r) => r.rowsPerSecond));
    console.log(
      `| ${key} | ${p50.toFixed(3)} ms | ${median(p99s).toFixed(2)} ms | ${p99s.map((v) => v.toFixed(1)).join(', ')} | ${rows.toFixed(0)} |`,
    );
  }
}

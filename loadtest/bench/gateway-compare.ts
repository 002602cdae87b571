// node loadtest/bench/gateway-compare.ts [--rounds 6] [--warmup-ms 1000] [--window-ms 4000] [--rates 300]
//   [--connections 64] <label>=<source>[:VAR=value,...] ...
// Side-by-side measurement of gateway variants for a change's before/after: CPU per /v1/score and latency at
// constant arrival rates and with closed-loop clients, against the same mocks and scorer, every window interleaved
// by round. <source> is `worktree`, a git revision (its services/io-gateway and libs, with this tree's
// node_modules), `floor` (gateway-floor-server.ts), or `unframed` (the worktree's scoring behind bare node:http,
// gateway-unframed-server.ts: what the gateway costs without its HTTP layer). Ratios and differences are medians of per-round figures
// against the first variant. --connections 0 skips the closed loop. Wrap it in `flock /tmp/splitserve-heavy.lock`.
import { startLoadClient, stopAll } from './bench-processes.ts';
import { parseVariants, sourceTrees, takeFlag } from './compare-variants.ts';
import { cpuLayout } from './cpu-layout.ts';
import type { SideRound } from './gateway-figures.ts';
import { startGatewayStack, startScoreServer } from './gateway-stack.ts';
import { runInterleaved, type Window } from './interleaved-rounds.ts';
import { describeMachine } from './machine.ts';
import { median } from './percentiles.ts';
import type { ServerProcess } from './server-process.ts';
import { closedKey, gatewayWindows, openKey, UPSTREAM_LATENCY_MS } from './suites/gateway.ts';

const GATEWAY_PACKAGES = ['services/io-gateway', 'libs/contracts', 'libs/service-kit'];

const argv = process.argv.slice(2);
const flag = (name: string) => takeFlag(argv, name);
const rounds = Number(flag('--rounds') ?? 6);
const warmupMs = Number(flag('--warmup-ms') ?? 1_000);
const windowMs = Number(flag('--window-ms') ?? 4_000);
const rates = (flag('--rates') ?? '300').split(',').filter(Boolean).map(Number);
const connections = Number(flag('--connections') ?? 64);
const variants = parseVariants(argv);

const machine = describeMachine();
const layout = cpuLayout(machine);
const trees = sourceTrees(GATEWAY_PACKAGES);
const servers: ServerProcess[] = [];
const stack = await startGatewayStack({ upstreamLatencyMs: UPSTREAM_LATENCY_MS, cpus: layout.serving });
const client = startLoadClient(layout.client);
try {
  for (const variant of variants) {
    const kind = variant.source === 'floor' || variant.source === 'unframed' ? variant.source : 'gateway';
    servers.push(
      await startScoreServer(kind, stack, {
        cpus: layout.serving,
        name: variant.label,
        env: variant.env,
        ...(kind === 'gateway' && { root: await trees.root(variant.source) }),
      }),
    );
  }
  const measure = gatewayWindows(stack, client, { warmupMs, windowMs, maxInFlight: 512, connections });
  const loadPoints = [...rates.map(openKey), ...(connections > 0 ? [closedKey(connections)] : [])];
  const windows: Window<SideRound>[] = [];
  for (const rate of rates) variants.forEach((v, i) => windows.push(measure.open(v.label, servers[i]!, rate)));
  if (connections > 0) variants.forEach((v, i) => windows.push(measure.closed(v.label, servers[i]!)));
  console.log(`${machine.cpuModel}, ${machine.cores} cores; ${layout.description}; ${rounds} rounds`);
  report(
    loadPoints,
    await runInterleaved(rounds, windows, (key, round) => console.error(`round ${round + 1}: ${key}`)),
  );
} finally {
  await stopAll([client, ...servers]);
  await stack.stop();
  await trees.removeAll();
}

function report(loadPoints: readonly string[], results: Map<string, SideRound[]>): void {
  const first = variants[0]!.label;
  console.log(
    `| Load | Variant | req/s | CPU µs/request | main | CPU by round | ÷ ${first} | p50 | p99 | p99 − ${first} | Failed |`,
  );
  console.log('| --- | --- | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: |');
  for (const point of loadPoints) {
    const baseline = results.get(`${first} ${point}`)!;
    for (const { label } of variants) {
      const perRound = results.get(`${label} ${point}`)!;
      const med = (pick: (round: SideRound, i: number) => number) => median(perRound.map(pick));
      const cpu = (r: SideRound) => r.cpuPerRequestNs.totalNs / 1000;
      const ratio = med((r, i) => cpu(r) / cpu(baseline[i]!));
      const p99Delta = med((r, i) => r.latencyMs.p99 - baseline[i]!.latencyMs.p99);
      const failed = perRound.reduce((sum, r) => sum + r.failures, 0);
      console.log(
        `| ${point} | ${label} | ${med((r) => r.requestsPerSecond).toFixed(0)} | ${med(cpu).toFixed(0)} | ` +
          `${med((r) => r.cpuPerRequestNs.mainNs / 1000).toFixed(0)} | ${perRound.map((r) => cpu(r).toFixed(0)).join(', ')} | ` +
          `${ratio.toFixed(3)}× | ${med((r) => r.latencyMs.p50).toFixed(2)} ms | ${med((r) => r.latencyMs.p99).toFixed(2)} ms | ` +
          `${p99Delta >= 0 ? '+' : ''}${p99Delta.toFixed(2)} ms | ${failed} |`,
      );
    }
  }
}

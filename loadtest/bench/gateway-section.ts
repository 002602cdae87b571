import { formatCount, formatMs, formatRatio, formatUs } from './figure-format.ts';
import type { Comparison, SideFigures } from './gateway-figures.ts';
import type { GatewayResults } from './gateway-results.ts';
import { CPU_RATIO_LIMIT, P99_ALLOWANCE_MS, signedMs } from './gateway-targets.ts';
import { markdownTable, provenance, targetsTable } from './markdown.ts';

type LoadPoint = { label: string; comparison: Comparison };

/** The gateway's section of BENCHMARKS.md, from one run's results. */
export function renderGatewaySection(results: GatewayResults): string {
  const source = provenance(results.command, results.machine);
  const table = (markdown: string) => `${markdown}\n\n${source}`;
  const points: LoadPoint[] = [
    ...results.openLoop.map((point) => ({ label: `${point.ratePerSecond} req/s (open)`, comparison: point })),
    { label: `${results.closedLoop.connections} connections (closed)`, comparison: results.closedLoop },
  ];
  return [
    '## Gateway',
    `Run: \`${results.command}\` (${results.profile} profile, ${Math.round(results.durationS)} s) on ` +
      `${results.machine.cpuModel}, ${results.machine.cores} cores, Node ${results.machine.node}, ` +
      `${results.machine.os}, ${results.machine.date}.` +
      (results.profile === 'quick' ? ' Quick profile: one short round per figure, targets not checked.' : ''),
    method(results),
    '### Targets',
    `From the issue: CPU per \`/v1/score\` at most ${CPU_RATIO_LIMIT}× the floor's at the same offered load, and ` +
      `with ${results.closedLoop.connections} connections and ${results.upstreamLatencyMs} ms upstreams p99 at ` +
      `most the floor's + ${P99_ALLOWANCE_MS} ms. Ratios and differences are medians of the per-round figures ` +
      '(the two servers ran back to back in each round).',
    table(targetsTable(results.targets)),
    closedLoopReading(results),
    '### CPU per request',
    'CPU time of the server process over the window, from `/proc/<pid>/task/*/schedstat`, divided by the requests ' +
      'it completed in the window; main = the JavaScript thread, other = GC, compiler and libuv threads (each ' +
      'column is its own median over rounds, so main + other need not add up to the total). Upstream ' +
      'calls = data requests the mocks received per request sent (2 = one per source; above 2 = hedges or retries). ' +
      'Stack = the mocks and the scorer, which both servers share. CPUs = cores a process kept busy in the window; ' +
      'others’ = the rest of the machine (/proc/stat busy time minus server, stack and client, the idle other ' +
      'server included): the noise the figure was measured under.',
    table(cpuTable(points)),
    '### Latency',
    'Dispatch to last byte at the client, of the 2xx answers of the window; p50 and p99 are medians over rounds, ' +
      'max the worst of all rounds. Send lag = how late the open-loop client dispatched against its schedule ' +
      '(p99): its own health. Dropped = requests due while ' +
      `${results.maxInFlight} were still in flight, never sent: the server had fallen behind the offered rate.`,
    table(latencyTable(points)),
  ].join('\n\n');
}

function method(results: GatewayResults): string {
  const rounds = results.rounds === 1 ? 'a single round' : `${results.rounds} rounds`;
  return [
    'How: both servers run as child processes and call the same processes, started once for the run: the two mock ',
    `sources (\`MOCK_LATENCY_MS=${results.upstreamLatencyMs} MOCK_JITTER_MS=0\`) and the scorer `,
    '(`SCORER_INSTANCES=1`, a repository holding only `interests`). The floor (`loadtest/bench/gateway-floor-server.ts`) ',
    'is bare node:http + undici pools built like the gateway’s: it JSON-parses the body, GETs both sources in parallel ',
    '(bodies read as JSON), builds the row with the gateway’s compiled feature writer, POSTs the scorer the same ',
    'binary tensors and answers a small JSON; no framework, middleware, validation, policies or metrics. It calls ',
    'undici the usual way, `request()` and `body.json()`; the gateway reads its answers through undici’s `dispatch()` ',
    'into one buffer, which skips a readable stream and a body consumer per call (its own optimisation: at 300 req/s ',
    'it took the gateway from 1.34× to 1.18× this floor, `node loadtest/bench/gateway-compare.ts`). Each request ',
    'scores a fresh entity (`u-0`, `u-1`, …) so coalescing cannot skip calls. A separate Node process drives the ',
    'load with undici: open loop = a constant arrival rate, the same offered load for both servers; closed loop = ',
    `each connection sends its next request when its last is answered. Warm-up ${results.warmupMs} ms, window `,
    `${results.windowMs} ms; ${rounds}, in each of which every load point runs the gateway and the floor back to `,
    `back, which one first alternating by round. CPUs: ${results.layout}.`,
  ].join('');
}

/** How to read the closed-loop p99 target: on a saturated machine it measures throughput. */
function closedLoopReading(results: GatewayResults): string {
  const { connections, gateway, floor } = results.closedLoop;
  const slower = 1 - gateway.requestsPerSecond / floor.requestsPerSecond;
  return (
    `Reading the p99 target: with ${connections} closed-loop connections every process of the run (either ` +
    'server, the mocks, the scorer and the client) shares the machine, which they keep busy, so latency is ' +
    `connections ÷ throughput: the gateway served ${formatCount(gateway.requestsPerSecond)} req/s here and the ` +
    `floor ${formatCount(floor.requestsPerSecond)} (${(slower * 100).toFixed(0)} % fewer), and p99 follows. A p99 ` +
    'within 2 ms of the floor’s needs nearly the floor’s CPU per request. To see where the gateway’s extra CPU ' +
    'goes, `node loadtest/bench/gateway-compare.ts floor=floor unframed=unframed gateway=worktree` runs the ' +
    'gateway’s own scoring and policies behind bare node:http (`unframed`) beside both: the rest is its HTTP ' +
    'layer (Hono on @hono/node-server, request ids, security headers, metrics, body checks).'
  );
}

function cpuTable(points: readonly LoadPoint[]): string {
  const rows = points.flatMap(({ label, comparison }) =>
    sides(comparison).map(([server, figures]) => [
      label,
      server,
      formatCount(figures.requestsPerSecond),
      formatUs(figures.cpuPerRequestUs.totalUs),
      formatUs(figures.cpuPerRequestUs.mainUs),
      formatUs(figures.cpuPerRequestUs.otherUs),
      server === 'gateway' ? formatRatio(comparison.cpuRatio) : '',
      figures.upstreamCallsPerRequest.toFixed(3),
      formatUs(figures.stackCpuPerRequestUs),
      figures.clientCores.toFixed(2),
      figures.othersCores.toFixed(2),
    ]),
  );
  return markdownTable(
    [
      'Load',
      'Server',
      'Served req/s',
      'CPU/request',
      'main',
      'other',
      'Gateway ÷ floor',
      'Upstream calls/request',
      'Stack CPU/request',
      'Client CPUs',
      'Others’ CPUs',
    ],
    rows,
    [2, 3, 4, 5, 6, 7, 8, 9, 10],
  );
}

function latencyTable(points: readonly LoadPoint[]): string {
  const rows = points.flatMap(({ label, comparison }) =>
    sides(comparison).map(([server, figures]) => [
      label,
      server,
      formatMs(figures.p50Ms),
      formatMs(figures.p99Ms),
      formatMs(figures.maxMs),
      server === 'gateway' ? signedMs(comparison.p99DifferenceMs) : '',
      failed(figures),
      String(figures.dropped),
      figures.sendLagP99Ms === undefined ? '' : formatMs(figures.sendLagP99Ms),
    ]),
  );
  return markdownTable(
    ['Load', 'Server', 'p50', 'p99', 'max', 'p99 − floor p99', 'Failed', 'Dropped', 'Send lag p99'],
    rows,
    [2, 3, 4, 5, 6, 7, 8],
  );
}

function sides(comparison: Comparison): [string, SideFigures][] {
  return [
    ['gateway', comparison.gateway],
    ['floor', comparison.floor],
  ];
}

/** `0`, or the count with what the failures were, e.g. `12 (503 × 10, 504 × 2)`. */
function failed(figures: SideFigures): string {
  const kinds = Object.entries(figures.failuresBy).sort((a, b) => b[1] - a[1]);
  if (kinds.length === 0) return String(figures.failures);
  return `${figures.failures} (${kinds.map(([kind, count]) => `${kind} × ${count}`).join(', ')})`;
}

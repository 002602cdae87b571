import type { TimeEntry } from './cpu-profile-summary.ts';

/**
 * What a sampled function is for, as far as the gateway's cost is concerned: each entry of a profile's self time by
 * function (`name (path:line)`, or a VM frame such as `writev`) goes to the first concern whose pattern it matches.
 */
const CONCERNS: readonly (readonly [string, RegExp])[] = [
  [
    'cancellation: AbortController, AbortSignal.any/timeout, DOMException',
    /node:internal\/(abort_controller|per_context\/domexception|event_target|events\/abort_listener)|cockatiel\/dist\/common\/abort/,
  ],
  [
    'policies: cockatiel, hedging, single-flight, deadlines, budgets',
    /\(cockatiel\/|io-gateway\/src\/upstream\/(dependency|hedge|single-flight|load-budget|latency-tracker|deadline)\.ts/,
  ],
  ['framework: Hono, @hono/node-server, Web Headers', /\((hono|@hono\/node-server)\/|node:internal\/deps\/undici/],
  ['validation: zod', /\(zod\//],
  ['metrics: prom-client', /\(prom-client\/|io-gateway\/src\/observability\//],
  ['garbage collection', /^\(garbage collector\)$/],
  ['promise and tick queues', /^runMicrotasks$|node:internal\/process\/task_queues/],
  [
    'sockets: syscalls, connects, node:net and streams',
    /^(writev|writeLatin1String|writeUtf8String|writeBuffer|connect|close|shutdown|readStart|readStop)$|node:(net|internal\/stream_base_commons|internal\/streams)/,
  ],
  ['HTTP client: undici', /\(undici\//],
  ['HTTP server: node:http', /node:_http_/],
  [
    'the work itself: JSON, features, tensors, ranking',
    /io-gateway\/src\/(features|scoring|routes|upstream\/(http-json|http-source|scorer-client))|libs\/|loadtest\/bench\/gateway-floor/,
  ],
];
const OTHER = 'other';

/** Self time grouped by concern, busiest first; entries matching no concern add up under `other`. */
export function byConcern(selfByFunction: readonly TimeEntry[]): TimeEntry[] {
  const totals = new Map<string, TimeEntry>();
  for (const entry of selfByFunction) {
    const name = CONCERNS.find(([, pattern]) => pattern.test(entry.name))?.[0] ?? OTHER;
    const total = totals.get(name) ?? { name, ms: 0, share: 0 };
    total.ms += entry.ms;
    total.share += entry.share;
    totals.set(name, total);
  }
  return [...totals.values()].sort((a, b) => b.ms - a.ms);
}

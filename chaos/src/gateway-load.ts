import { setTimeout as sleep } from 'node:timers/promises';
import { GRACE_MS } from './checks.ts';
import { summarizeLoad, type LoadFigures } from './figures.ts';
import {
  startLoad,
  type LoadOptions,
  type LoadRequest,
  type LoadResult,
  type Outcome,
  type RunningLoad,
} from './open-loop.ts';
import { observationsAbove, scrape, total } from './prometheus.ts';

const CATEGORIES = ['music', 'tech', 'pets', 'travel', 'food', 'sports'] as const;

/** `POST /v1/score` for a fresh entity each time (so no two requests share a coalesced call). */
export function scoreRequest(prefix: string, headers: Record<string, string> = {}): (index: number) => LoadRequest {
  return (index) => ({
    method: 'POST',
    path: '/v1/score',
    headers,
    body: JSON.stringify({ entityId: `u-${CATEGORIES[index % CATEGORIES.length]}-${prefix}-${index}` }),
  });
}

/** A gateway load and what it added up to, at the client and in the gateway's own latency histogram. */
export type GatewayLoadResult = {
  result: LoadResult;
  figures: LoadFigures;
  /** Server-side: answers of `route` in the window, and those slower than deadline + grace (when a deadline is set). */
  server: { count: number; above: number } | undefined;
};

/**
 * Runs a constant-rate load on the gateway while `during` acts (injects a fault, kills a process, ...), stops it
 * when `during` is done, waits for every answer, and reads the gateway's latency histogram before and after. With
 * a deadline of D ms, D + 50 ms must be one of the histogram's bucket bounds (e.g. D = 200 or 450).
 */
export async function loadGateway(
  gatewayUrl: string,
  options: Omit<LoadOptions, 'origin' | 'durationMs'> & { route?: string },
  during: (load: RunningLoad, startedAt: number) => Promise<void>,
): Promise<GatewayLoadResult> {
  const route = options.route ?? '/v1/score';
  const before = await scrape(gatewayUrl);
  const load = startLoad({ ...options, origin: gatewayUrl, durationMs: Infinity });
  try {
    await during(load, performance.now());
  } finally {
    load.stop();
  }
  const result = await load.done;
  // The histogram is observed as each answer goes out; give the last one a moment to be counted.
  await sleep(20);
  const after = await scrape(gatewayUrl);
  const server =
    options.deadlineMs === undefined
      ? undefined
      : observationsAbove(before, after, 'gateway_request_duration_seconds', (options.deadlineMs + GRACE_MS) / 1000, {
          route,
        });
  // prom-client resets its event-loop delay histogram at every scrape: its max is the worst stall since `before`,
  // plus the monitor's own interval, which its min is.
  const lagS = total(after, 'nodejs_eventloop_lag_max_seconds') - total(after, 'nodejs_eventloop_lag_min_seconds');
  const withStall = { ...result, serverStallMs: Math.max(0, Math.round(lagS * 1000)) };
  return { result: withStall, figures: summarizeLoad(result.outcomes, options.deadlineMs, GRACE_MS), server };
}

/** Sends requests until `count` in a row are answered 200 (connections open, code warm, metadata read). */
export async function warmUp(gatewayUrl: string, count = 20, timeoutMs = 20_000): Promise<void> {
  const request = scoreRequest('warm-up');
  const giveUpAt = performance.now() + timeoutMs;
  for (let index = 0, streak = 0; streak < count; index++) {
    if (performance.now() > giveUpAt) throw new Error(`the gateway at ${gatewayUrl} did not warm up`);
    const spec = request(index);
    const response = await fetch(`${gatewayUrl}${spec.path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: spec.body as string,
    });
    const body = (await response.json()) as { degraded?: string[] };
    streak = response.status === 200 && (body.degraded ?? []).length === 0 ? streak + 1 : 0;
    if (streak === 0) await sleep(50);
  }
}

/**
 * Waits while a load runs until a request sent after `since` got a complete answer (`good`), then `settleMs` more so
 * that the steadiness after it can be judged; gives up after `maxMs`. Saves waiting out a half-open window that
 * never opened.
 */
export async function untilRecovered(
  load: RunningLoad,
  since: number,
  good: (outcome: Outcome) => boolean,
  maxMs: number,
  settleMs = 600,
): Promise<void> {
  const giveUpAt = performance.now() + maxMs;
  while (performance.now() < giveUpAt) {
    if (load.outcomes.some((o) => o.sentAt >= since && good(o))) {
      await sleep(settleMs);
      return;
    }
    await sleep(100);
  }
}

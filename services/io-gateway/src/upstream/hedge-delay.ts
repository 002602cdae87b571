import type { LatencyTracker } from './latency-tracker.ts';

/** Below this, a hedge would fire on event-loop lag and GC pauses rather than on a slow dependency. */
export const MIN_HEDGE_DELAY_MS = 10;

/**
 * How long a call runs before it is hedged: a fixed `afterMs` as configured; an observed percentile (e.g. `p95`) at
 * least twice the median and {@link MIN_HEDGE_DELAY_MS}, so that a tight latency distribution (p95 barely above the
 * median) does not hedge ordinary jitter, which only adds load and churns connections. Undefined (no hedge) until
 * the tracker has enough samples. Observed delays are rounded up to whole milliseconds.
 */
export function hedgeDelayMs(afterMs: number | string, latency: LatencyTracker): number | undefined {
  if (typeof afterMs === 'number') return afterMs;
  const observed = latency.value;
  if (observed === undefined) return undefined;
  // Whole milliseconds: Node keeps one timer list per distinct delay, and a fractional one made a list per sample.
  return Math.ceil(Math.max(observed, 2 * (latency.median ?? 0), MIN_HEDGE_DELAY_MS));
}

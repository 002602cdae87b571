import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hedgeDelayMs, MIN_HEDGE_DELAY_MS } from './hedge-delay.ts';
import { LatencyTracker } from './latency-tracker.ts';

function tracker(q: number, samples: readonly number[]): LatencyTracker {
  const latency = new LatencyTracker(q);
  for (const ms of samples) latency.record(ms);
  return latency;
}

/** 64 samples: `slow` of them at `high` ms, the rest at `low` ms. */
const spread = (low: number, high: number, slow: number) => [
  ...Array<number>(64 - slow).fill(low),
  ...Array<number>(slow).fill(high),
];

test('a fixed afterMs is used as configured, even below the floor', () => {
  assert.equal(hedgeDelayMs(3, tracker(0.95, [])), 3);
  assert.equal(hedgeDelayMs(50, tracker(0.95, spread(20, 200, 10))), 50);
});

test('no hedge until the percentile is known', () => {
  assert.equal(hedgeDelayMs('p95', tracker(0.95, spread(20, 21, 3).slice(1))), undefined);
});

test('a wide distribution hedges at its percentile', () => {
  assert.equal(hedgeDelayMs('p95', tracker(0.95, spread(20, 200, 10))), 200);
});

test('a tight distribution hedges at twice the median, not at a p95 barely above it', () => {
  assert.equal(hedgeDelayMs('p95', tracker(0.95, spread(20, 22, 10))), 40);
});

test('an observed delay is rounded up to whole milliseconds', () => {
  assert.equal(hedgeDelayMs('p95', tracker(0.95, spread(20.2, 40.01, 10))), 41);
  assert.equal(hedgeDelayMs('p95', tracker(0.95, spread(20.3, 20.31, 10))), 41, 'twice 20.3');
});

test('fast dependencies hedge no sooner than the floor', () => {
  assert.equal(hedgeDelayMs('p95', tracker(0.95, spread(1, 2, 10))), MIN_HEDGE_DELAY_MS);
});

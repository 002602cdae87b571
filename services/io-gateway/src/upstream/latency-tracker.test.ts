import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { LatencyTracker } from './latency-tracker.ts';

function recordAll(tracker: LatencyTracker, samples: number[]): LatencyTracker {
  for (const ms of samples) tracker.record(ms);
  return tracker;
}

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);
/** 1..64 in a scrambled order (17 is coprime with 64). */
const scrambled = range(0, 63).map((i) => ((i * 17) % 64) + 1);

test('is undefined until 64 samples, then defined', () => {
  const tracker = recordAll(new LatencyTracker(0.5), scrambled.slice(0, 63));
  assert.equal(tracker.value, undefined);
  tracker.record(scrambled[63]!);
  assert.notEqual(tracker.value, undefined);
});

test('reads the requested quantile of the samples', () => {
  assert.equal(recordAll(new LatencyTracker(0), scrambled).value, 1);
  assert.equal(recordAll(new LatencyTracker(0.5), scrambled).value, 33);
  assert.equal(recordAll(new LatencyTracker(0.95), scrambled).value, 61);
  assert.equal(recordAll(new LatencyTracker(0.99), scrambled).value, 64);
  assert.equal(recordAll(new LatencyTracker(1), scrambled).value, 64, 'q = 1 is the maximum, not past the end');
});

test('reads the median alongside, on the same refreshes', () => {
  const tracker = recordAll(new LatencyTracker(0.95), scrambled.slice(0, 63));
  assert.equal(tracker.median, undefined);
  tracker.record(scrambled[63]!);
  assert.equal(tracker.median, 33);
  recordAll(tracker, Array<number>(63).fill(1_000));
  assert.equal(tracker.median, 33, 'not refreshed yet');
  tracker.record(1_000);
  assert.equal(tracker.median, 1_000, '64 of the 128 samples are 1000');
});

test('orders samples as numbers, not as text', () => {
  const samples = [...Array<number>(32).fill(9), ...Array<number>(32).fill(100)];
  assert.equal(recordAll(new LatencyTracker(0), samples).value, 9);
  assert.equal(recordAll(new LatencyTracker(1), samples).value, 100);
  assert.equal(recordAll(new LatencyTracker(0.5), [...samples].reverse()).value, 100);
});

test('refreshes every 64 samples, not on every sample', () => {
  const tracker = recordAll(new LatencyTracker(0.5), Array<number>(64).fill(10));
  recordAll(tracker, Array<number>(63).fill(1_000));
  assert.equal(tracker.value, 10);
  tracker.record(1_000);
  assert.equal(tracker.value, 1_000, '65 of the 128 samples are 1000');
});

test('keeps only the last 512 samples', () => {
  const tracker = recordAll(new LatencyTracker(0.875), Array<number>(512).fill(1_000));
  recordAll(tracker, Array<number>(448).fill(1));
  // 448 ones and 64 thousands remain; index floor(0.875 × 512) = 448 is the first thousand.
  assert.equal(tracker.value, 1_000);
  recordAll(tracker, Array<number>(64).fill(1));
  assert.equal(tracker.value, 1, 'every old sample has been overwritten');
});

test('property: the value is the quantile of the last 512 samples at the last multiple of 64', () => {
  fc.assert(
    fc.property(
      fc.constantFrom(0, 0.5, 0.75, 0.9, 0.95, 0.99, 1),
      fc.array(fc.integer({ min: 0, max: 10_000 }), { maxLength: 1_500 }),
      (q, samples) => {
        const tracker = recordAll(new LatencyTracker(q), samples);
        const refreshedAt = samples.length - (samples.length % 64);
        if (refreshedAt === 0) {
          assert.equal(tracker.value, undefined);
          return;
        }
        const window = samples.slice(Math.max(0, refreshedAt - 512), refreshedAt).sort((a, b) => a - b);
        const below = window.filter((ms) => ms < tracker.value!).length;
        const atOrBelow = window.filter((ms) => ms <= tracker.value!).length;
        // The value is a sample with about q of the window below it.
        assert.ok(window.includes(tracker.value!));
        assert.ok(below <= Math.floor(q * window.length), `${below} samples below`);
        assert.ok(atOrBelow >= Math.min(window.length, Math.floor(q * window.length) + 1), `${atOrBelow} at or below`);
      },
    ),
    { numRuns: 200 },
  );
});

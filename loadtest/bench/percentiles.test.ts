import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { median, percentile, summarize } from './percentiles.ts';

test('percentiles are nearest-rank: every one is a sample, p50 of 1..100 is 50 and p99 is 99', () => {
  const samples = Array.from({ length: 100 }, (_, i) => 100 - i);
  const summary = summarize(samples);
  assert.deepEqual(summary, { count: 100, mean: 50.5, p50: 50, p99: 99, max: 100 });
});

test('any percentile lies between the smallest and the largest sample and grows with p', () => {
  fc.assert(
    fc.property(fc.array(fc.double({ noNaN: true, noDefaultInfinity: true }), { minLength: 1 }), (values) => {
      const sorted = Float64Array.from(values).sort();
      const p50 = percentile(sorted, 50);
      const p99 = percentile(sorted, 99);
      assert.ok(values.includes(p50) && values.includes(p99));
      assert.ok(sorted[0]! <= p50 && p50 <= p99 && p99 <= sorted[sorted.length - 1]!);
    }),
  );
});

test('no samples give NaN figures instead of throwing', () => {
  assert.ok(Number.isNaN(summarize([]).p99));
});

test('the median of rounds skips failed (NaN) rounds and averages the middle pair', () => {
  assert.equal(median([3, Number.NaN, 1, 2]), 2);
  assert.equal(median([4, 1, 3, 2]), 2.5);
  assert.ok(Number.isNaN(median([Number.NaN])));
});

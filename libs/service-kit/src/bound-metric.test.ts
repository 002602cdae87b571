import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { Counter, Histogram, Registry } from 'prom-client';
import { BoundMetric } from './bound-metric.ts';

const BUCKETS = [0.001, 0.01, 0.1, 1, 2.5];
type Observation = { route: string; status: string; value: number };

/** The same observations through prom-client's own metrics and through BoundMetric: both registries' text. */
function expositions(observations: readonly Observation[]) {
  const reference = new Registry();
  const bound = new Registry();
  const options = (registry: Registry) => ({ help: 'help text', registers: [registry] });
  const counter = new Counter({ name: 'requests_total', labelNames: ['route', 'status'], ...options(reference) });
  const histogram = new Histogram({ name: 'duration', labelNames: ['route'], buckets: BUCKETS, ...options(reference) });
  const boundCounter = new BoundMetric({ name: 'requests_total', type: 'counter', ...options(bound) });
  const boundHistogram = new BoundMetric({ name: 'duration', type: 'histogram', buckets: BUCKETS, ...options(bound) });
  for (const { route, status, value } of observations) {
    counter.inc({ route, status });
    histogram.observe({ route }, value);
    boundCounter.bind({ route, status })();
    boundHistogram.bind({ route })(value);
  }
  return { reference, bound };
}

test('exposes the same text as prom-client’s counter and histogram', async () => {
  const { reference, bound } = expositions([
    { route: '/v1/score', status: '200', value: 0.02 },
    { route: '/v1/score', status: '200', value: 0.001 },
    { route: '/v1/score', status: '503', value: 7 },
    { route: '/v1/"quoted"\\route', status: '404', value: 0.5 },
  ]);
  assert.equal(await bound.metrics(), await reference.metrics());
  assert.deepEqual(await bound.getMetricsAsJSON(), await reference.getMetricsAsJSON());
});

test('property: any observations expose the same text and JSON', async () => {
  const observation = fc.record({
    route: fc.constantFrom('/a', '/b', '/v1/score'),
    status: fc.constantFrom('200', '404', '503'),
    value: fc.oneof(fc.constantFrom(...BUCKETS), fc.double({ min: 0, max: 10, noNaN: true })),
  });
  await fc.assert(
    fc.asyncProperty(fc.array(observation, { maxLength: 30 }), async (observations) => {
      const { reference, bound } = expositions(observations);
      assert.equal(await bound.metrics(), await reference.metrics());
      assert.deepEqual(await bound.getMetricsAsJSON(), await reference.getMetricsAsJSON());
    }),
    { numRuns: 100 },
  );
});

test('binding the same labels twice shares one series; reset zeroes every series', async () => {
  const registry = new Registry();
  const counter = new BoundMetric({ name: 'c_total', help: 'h', type: 'counter', registers: [registry] });
  counter.bind({ a: '1' })();
  counter.bind({ a: '1' })(2);
  assert.match(await registry.metrics(), /^c_total\{a="1"\} 3$/m);
  registry.resetMetrics();
  assert.match(await registry.metrics(), /^c_total\{a="1"\} 0$/m);
});

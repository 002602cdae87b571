import assert from 'node:assert/strict';
import { test } from 'node:test';
import { highestRateHeld, latencyPerConcurrentRequestMs, type ArchitectureFigures } from './comparison-figures.ts';
import { pipelineForModel } from './comparison-stack.ts';

function figures(p99Ms: number, okShare = 1, meanMs = p99Ms / 2, rate = 100): ArchitectureFigures {
  return {
    goodputPerSecond: rate * okShare,
    okShare,
    p50Ms: meanMs,
    p99Ms,
    meanMs,
    maxMs: p99Ms,
    failures: 0,
    failuresBy: {},
    dropped: 0,
    failureP50Ms: Number.NaN,
    systemCpuPerRequestUs: 1000,
    systemCores: 0.5,
    othersCores: 0.1,
    sendLagP99Ms: 1,
    concurrency: (rate * meanMs) / 1000,
  };
}

test('a rate is held while 99 % are answered 2xx and p50 stays within 1.5 × the lowest rate’s', () => {
  // figures(p99, ok, mean): p50 = mean here.
  const points = [
    { ratePerSecond: 50, figures: figures(90, 1, 40) },
    { ratePerSecond: 100, figures: figures(400, 1, 55) },
    { ratePerSecond: 150, figures: figures(90, 1, 65) },
    { ratePerSecond: 200, figures: figures(60, 0.9, 40) },
  ];
  assert.equal(highestRateHeld(points), 100);
  assert.equal(highestRateHeld([{ ratePerSecond: 50, figures: figures(40, 0.5) }]), undefined);
});

test('latency per concurrent request is the slope of mean latency against requests in flight', () => {
  // mean = 25 + 3.4 × concurrency, exactly.
  const points = [1, 4, 10].map((concurrency) => ({ ...figures(0), concurrency, meanMs: 25 + 3.4 * concurrency }));
  assert.ok(Math.abs(latencyPerConcurrentRequestMs(points) - 3.4) < 1e-9);
  assert.ok(Number.isNaN(latencyPerConcurrentRequestMs(points.slice(0, 1))));
});

test('the comparison pipeline is the demo pipeline with another scorer model', () => {
  const yaml = 'name: interests\nscorer:\n  model: interests\n  input: features\n';
  assert.equal(
    pipelineForModel(yaml, 'interests-3ms'),
    'name: interests\nscorer:\n  model: interests-3ms\n  input: features\n',
  );
  assert.throws(() => pipelineForModel('name: x\n', 'm'), /expected one 'model:' line/);
});

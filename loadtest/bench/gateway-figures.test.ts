import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compare, openLoopRound, type SideRound } from './gateway-figures.ts';
import type { OpenLoopResult } from './open-loop.ts';

const latency = (p50: number, p99: number, max = p99) => ({ count: 100, mean: p50, p50, p99, max });

function round(cpuUs: number, p99: number, failuresBy: Record<string, number> = {}): SideRound {
  const ns = cpuUs * 1000;
  return {
    requestsPerSecond: 100,
    cpuPerRequestNs: { mainNs: ns * 0.75, workerNs: 0, otherNs: ns * 0.25, totalNs: ns },
    latencyMs: latency(25, p99),
    failures: Object.values(failuresBy).reduce((sum, count) => sum + count, 0),
    failuresBy,
    dropped: 0,
    upstreamCallsPerRequest: 2,
    stackCpuPerRequestNs: 1000,
    clientCores: 0.1,
    othersCores: 0,
    sendLagP99Ms: 1,
  };
}

test('an open-loop window is normalised per request completed in the window', () => {
  const result: OpenLoopResult = {
    ratePerSecond: 100,
    dueInWindow: 300,
    requests: 298,
    failures: 2,
    failuresBy: { '503': 2 },
    dropped: 0,
    completedInWindow: 300,
    sent: 400,
    latencyMs: latency(25, 40),
    failureLatencyMs: latency(2, 3),
    sendLagMs: latency(0.2, 1),
    serverCpu: { mainNs: 30e6, workerNs: 0, otherNs: 15e6, totalNs: 45e6 },
    stackCpuNs: 60e6,
    clientCpuNs: 30e6,
    machineBusyNs: 1_000e6,
  };
  const side = openLoopRound(result, 3_000, 810);
  assert.equal(side.requestsPerSecond, 100);
  assert.equal(side.cpuPerRequestNs.totalNs, 150_000);
  assert.equal(side.stackCpuPerRequestNs, 200_000);
  assert.equal(side.upstreamCallsPerRequest, 810 / 400);
  assert.ok(Math.abs(side.othersCores - (1_000 - 45 - 60 - 30) / 3_000) < 1e-12);
});

test('the ratio and the p99 difference are medians of per-round comparisons, not of per-side medians', () => {
  // Round 2 is slow for both sides (a noisy neighbour): per-round ratios stay 1.5.
  const gateway = [round(150, 30), round(600, 90), round(150, 31)];
  const floor = [round(100, 28), round(400, 60), round(100, 29)];
  const comparison = compare(gateway, floor);
  assert.equal(comparison.cpuRatio, 1.5);
  assert.equal(comparison.p99DifferenceMs, 2);
  assert.equal(comparison.gateway.cpuPerRequestUs.totalUs, 150);
  assert.equal(comparison.gateway.maxMs, 90);
});

test('failures add up over rounds by status', () => {
  const comparison = compare(
    [round(1, 1, { '503': 2 }), round(1, 1, { '503': 1, '504': 1 })],
    [round(1, 1), round(1, 1)],
  );
  assert.equal(comparison.gateway.failures, 4);
  assert.deepEqual(comparison.gateway.failuresBy, { '503': 3, '504': 1 });
  assert.throws(() => compare([round(1, 1)], []), /different number of rounds/);
});

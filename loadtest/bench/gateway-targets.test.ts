import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Comparison, SideFigures } from './gateway-figures.ts';
import { checkGatewayTargets } from './gateway-targets.ts';
import type { GatewayMeasurements } from './suites/gateway.ts';

const side = (totalUs: number, p99Ms: number, dropped = 0): SideFigures => ({
  requestsPerSecond: 100,
  cpuPerRequestUs: { mainUs: totalUs, otherUs: 0, totalUs },
  p50Ms: 25,
  p99Ms,
  maxMs: p99Ms,
  failures: 0,
  failuresBy: {},
  dropped,
  upstreamCallsPerRequest: 2,
  stackCpuPerRequestUs: 100,
  clientCores: 0.1,
  othersCores: 0,
  sendLagP99Ms: undefined,
});
const comparison = (cpuRatio: number, p99DifferenceMs: number, dropped = 0): Comparison => ({
  gateway: side(100 * cpuRatio, 30 + p99DifferenceMs, dropped),
  floor: side(100, 30),
  cpuRatio,
  p99DifferenceMs,
});
const measurements = (open: Comparison[], closed: Comparison): GatewayMeasurements => ({
  rounds: 5,
  warmupMs: 1_000,
  windowMs: 3_000,
  upstreamLatencyMs: 20,
  maxInFlight: 512,
  openLoop: open.map((entry, i) => ({ ratePerSecond: 100 * (i + 1), ...entry })),
  closedLoop: { connections: 64, ...closed },
});

test('every rate is held to 1.25 × the floor and the closed loop to floor p99 + 2 ms', () => {
  const checks = checkGatewayTargets(measurements([comparison(1.2, 0), comparison(1.3, 0)], comparison(1, 2)), true);
  assert.deepEqual(
    checks.map((check) => check.holds),
    [true, false, true],
  );
  assert.match(checks[1]!.target, /at 200 req\/s ≤ 1\.25 × floor/);
  assert.match(checks[2]!.measured, /^\+2\.00 ms \(gateway 32\.00 ms, floor 30\.00 ms\)$/);
});

test('a window where the client had to drop requests says so; quick mode checks nothing', () => {
  const checks = checkGatewayTargets(measurements([comparison(1.1, 0, 5)], comparison(1, 5)), false);
  assert.match(checks[0]!.measured, /dropped requests/);
  assert.deepEqual(
    checks.map((check) => check.holds),
    [undefined, undefined],
  );
});

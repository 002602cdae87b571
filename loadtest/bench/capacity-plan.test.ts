import assert from 'node:assert/strict';
import { test } from 'node:test';
import { memoryQuantity, planCapacity, SEED_TARGET, type CapacityInputs } from './capacity-plan.ts';

const INPUTS: CapacityInputs = {
  gatewayCpuPerRequestMs: 2,
  scorerOverheadPerRequestMs: 0.5,
  scorerBaseRssMiB: 140,
  scorerRssPerSessionMiB: 25,
  gatewayRssMiB: 120,
  maxBatchSize: 16,
  batchedCpuPerRowMs: 6,
  batchedMeanRows: 16,
};

test('the seed target: busy vCPUs over 60 % utilisation, rounded up to whole instances', () => {
  const plan = planCapacity(SEED_TARGET, INPUTS);
  // 1000 × 30.5 ms = 30.5 busy vCPUs; ÷ 0.6 = 50.8 → 51 vCPUs → 13 instances of 4.
  assert.equal(plan.scorer.busyCpus, 30.5);
  assert.equal(plan.scorer.cpus, 51);
  assert.equal(plan.scorer.instances, 13);
  assert.equal(plan.scorer.maxScale, 26);
  assert.equal(plan.scorer.minScale, 2);
  assert.equal(plan.scorer.containerConcurrency, 4 * 16 * 2);
  assert.equal(plan.scorer.memory, '2Gi');
  // 1000 × 2 ms = 2 busy vCPUs; ÷ 0.6 = 3.33 → 4 instances of 1 vCPU.
  assert.equal(plan.gateway.cpus, 4);
  assert.equal(plan.gateway.instances, 4);
  assert.equal(plan.gateway.memory, '512Mi');
  assert.ok(Math.abs(plan.costPerHourUsd.scorerCpu - 52 * 0.000018 * 3600) < 1e-9);
});

test('the plan scales with the target and never goes below one instance', () => {
  const small = planCapacity({ requestsPerSecond: 10, ioMs: 70, modelCpuMs: 3 }, INPUTS);
  assert.equal(small.scorer.instances, 1);
  assert.equal(small.gateway.instances, 1);
  assert.ok(small.scorer.maxScale >= small.scorer.minScale);
  const big = planCapacity({ ...SEED_TARGET, requestsPerSecond: 2000 }, INPUTS);
  assert.ok(big.scorer.instances >= 2 * 13 - 1);
});

test('a missing or negative figure is refused, not planned with', () => {
  assert.throws(() => planCapacity(SEED_TARGET, { ...INPUTS, gatewayCpuPerRequestMs: Number.NaN }), /gatewayCpu/);
  assert.throws(() => planCapacity({ ...SEED_TARGET, requestsPerSecond: 0 }, INPUTS), /positive/);
});

test('memory: a power of two above RSS × headroom, at least Cloud Run’s floor for the vCPUs', () => {
  assert.equal(memoryQuantity(300, 1), '512Mi');
  assert.equal(memoryQuantity(600, 1), '1Gi');
  assert.equal(memoryQuantity(470, 4), '2Gi');
  assert.equal(memoryQuantity(3000, 4), '4Gi');
});

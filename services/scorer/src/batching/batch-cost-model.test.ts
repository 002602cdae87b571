import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BatchCostModel } from './batch-cost-model.ts';

const close = (actual: number, expected: number, tolerance = 1e-6) =>
  assert.ok(Math.abs(actual - expected) <= tolerance, `${actual} is not ${expected}`);

test('knows nothing until it has measured something', () => {
  const model = new BatchCostModel();
  assert.equal(model.fixedMs, 0);
  assert.equal(model.runMs(8), 0);
});

test('splits runs of several sizes into a fixed and a per-row cost', () => {
  const model = new BatchCostModel();
  for (const rows of [1, 4, 8, 16, 1, 16]) model.observe(rows, 2.9 + 0.56 * rows);
  close(model.fixedMs, 2.9);
  close(model.perRowMs, 0.56);
  close(model.runMs(10), 8.5);
});

test('warm-up seeds keep the slope known while traffic brings one size only', () => {
  const model = new BatchCostModel();
  model.seed([
    { rows: 1, ms: 3.5 },
    { rows: 32, ms: 20.8 },
  ]);
  for (let i = 0; i < 200; i++) model.observe(1, 3.5);
  close(model.perRowMs, (20.8 - 3.5) / 31, 0.02);
  close(model.fixedMs, 3.5 - model.perRowMs, 0.02);
});

test('runs of one size only count as all fixed cost', () => {
  const model = new BatchCostModel();
  for (let i = 0; i < 5; i++) model.observe(1, 2);
  close(model.fixedMs, 2);
  assert.equal(model.perRowMs, 0);
});

test('follows a model whose cost changes, and forgets old runs', () => {
  const model = new BatchCostModel({ decay: 0.8 });
  for (let i = 0; i < 20; i++) model.observe(i % 2 === 0 ? 1 : 8, 10);
  for (let i = 0; i < 60; i++) model.observe(i % 2 === 0 ? 1 : 8, i % 2 === 0 ? 1.5 : 5);
  close(model.fixedMs, 1, 0.05);
  close(model.perRowMs, 0.5, 0.05);
});

test('ignores nonsense and never reports a negative cost', () => {
  const model = new BatchCostModel();
  model.observe(0, 5);
  model.observe(4, Number.NaN);
  model.observe(-1, 1);
  assert.equal(model.fixedMs, 0);
  model.observe(1, 10);
  model.observe(10, 1);
  assert.ok(model.fixedMs >= 0 && model.perRowMs >= 0);
});

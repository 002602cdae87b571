import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Behaviour } from './behaviour.ts';
import { createBehaviourControl } from './behaviour-control.ts';

const DEFAULTS: Behaviour = {
  latencyMs: 70,
  jitterMs: 10,
  errorRate: 0,
  errorStatus: 503,
  retryAfterS: null,
  mode: 'normal',
  failFirst: 0,
};

test('failFirst comes before the mode, then the mode applies', () => {
  const control = createBehaviourControl(DEFAULTS);
  control.update({ failFirst: 2, mode: 'garbage' });
  const outcomes = [1, 2, 3].map(() => control.plan(false).outcome);
  assert.deepEqual(outcomes, ['error', 'error', 'garbage']);
  assert.equal(control.current().failFirst, 0);
});

test('normal mode: missing entities are not-found; status mode always errors', () => {
  const control = createBehaviourControl(DEFAULTS);
  assert.equal(control.plan(true).outcome, 'not-found');
  assert.equal(control.plan(false).outcome, 'ok');
  control.update({ mode: 'status', errorStatus: 429, retryAfterS: 2 });
  assert.deepEqual(
    { ...control.plan(false), delayMs: 0 },
    { outcome: 'error', reason: 'status mode', errorStatus: 429, retryAfterS: 2, delayMs: 0 },
  );
});

test('delays stay within latency ± jitter, never below zero', () => {
  const control = createBehaviourControl(DEFAULTS);
  for (let i = 0; i < 200; i++) {
    const { delayMs } = control.plan(false);
    assert.ok(delayMs >= 60 && delayMs <= 80, String(delayMs));
  }
  control.update({ latencyMs: 1, jitterMs: 50 });
  for (let i = 0; i < 200; i++) assert.ok(control.plan(false).delayMs >= 0);
});

test('error rolls are seeded: the same setting gives the same sequence, with about that share failing', () => {
  const control = createBehaviourControl(DEFAULTS);
  const run = () => {
    control.update({ errorRate: 0.3 });
    return Array.from({ length: 1_000 }, () => control.plan(false).outcome);
  };
  const first = run();
  assert.deepEqual(run(), first);
  const share = first.filter((outcome) => outcome === 'error').length / first.length;
  assert.ok(share > 0.25 && share < 0.35, String(share));
});

test('reset returns to the defaults', () => {
  const control = createBehaviourControl(DEFAULTS);
  control.update({ mode: 'hang', latencyMs: 0, retryAfterS: 5 });
  assert.deepEqual(control.reset(), DEFAULTS);
});

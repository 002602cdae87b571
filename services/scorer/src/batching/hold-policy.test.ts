import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { holdMs, type HoldState } from './hold-policy.ts';

// The ≈3 ms model of the benchmark: 2.9 ms per run plus 0.56 ms per row, rows arriving at about one per ms.
const busy: HoldState = {
  queuedRows: 1,
  maxBatchSize: 32,
  runningBatches: 1,
  waitedMs: 0,
  arrivalRowsPerMs: 1.2,
  fixedMs: 2.9,
  slackMs: 10_000,
};

test('a lone request runs at once when nothing else is running, whatever the load reads', () => {
  assert.equal(holdMs({ ...busy, runningBatches: 0 }), 0);
  assert.equal(holdMs({ ...busy, runningBatches: 0, arrivalRowsPerMs: 100 }), 0);
});

test('while another batch runs, a few rows wait for as many as arrive during one fixed cost', () => {
  // 1.2 rows/ms × 2.9 ms ≈ 3.5 rows: the second row is 0.83 ms away, the fourth 2.1 ms.
  assert.ok(Math.abs(holdMs(busy) - (3.48 - 1) / 1.2) < 1e-9);
  assert.equal(holdMs({ ...busy, queuedRows: 4 }), 0);
});

test('never waits longer than one fixed cost in all', () => {
  assert.ok(Math.abs(holdMs({ ...busy, arrivalRowsPerMs: 0.5, fixedMs: 2.9 * 4, waitedMs: 10 }) - 1.6) < 1e-9);
  assert.equal(holdMs({ ...busy, waitedMs: 2.9 }), 0);
});

test('never eats into a deadline', () => {
  assert.equal(holdMs({ ...busy, slackMs: 0.5 }), 0.5);
  assert.equal(holdMs({ ...busy, slackMs: -1 }), 0);
});

test('a cheap model (fixed cost far under the gap between arrivals) never waits', () => {
  assert.equal(holdMs({ ...busy, fixedMs: 0.04, arrivalRowsPerMs: 3 }), 0);
});

test('no wait without measurements, without batching, or with a full batch queued', () => {
  assert.equal(holdMs({ ...busy, fixedMs: 0 }), 0);
  assert.equal(holdMs({ ...busy, maxBatchSize: 1 }), 0);
  assert.equal(holdMs({ ...busy, queuedRows: 32, arrivalRowsPerMs: 1000 }), 0);
});

test('the wait is bounded by the fixed cost, the slack and the time left, for any state', () => {
  fc.assert(
    fc.property(
      fc.record({
        queuedRows: fc.integer({ min: 1, max: 64 }),
        maxBatchSize: fc.integer({ min: 0, max: 64 }),
        runningBatches: fc.integer({ min: 0, max: 4 }),
        waitedMs: fc.double({ min: 0, max: 100, noNaN: true }),
        arrivalRowsPerMs: fc.double({ min: 0, max: 1000, noNaN: true }),
        fixedMs: fc.double({ min: 0, max: 100, noNaN: true }),
        slackMs: fc.double({ min: -100, max: 100, noNaN: true }),
      }),
      (state) => {
        const ms = holdMs(state);
        assert.ok(ms >= 0 && Number.isFinite(ms));
        assert.ok(ms <= Math.max(0, state.fixedMs - state.waitedMs) + 1e-9);
        assert.ok(ms <= Math.max(0, state.slackMs) + 1e-9);
        if (state.runningBatches === 0 || state.queuedRows >= state.maxBatchSize) assert.equal(ms, 0);
      },
    ),
  );
});

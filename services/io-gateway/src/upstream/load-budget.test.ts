import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { LoadBudget } from './load-budget.ts';

function takeAll(budget: LoadBudget, now: number, limit = 1_000): number {
  let taken = 0;
  while (taken < limit && budget.tryTake(now)) taken++;
  return taken;
}

test('rejects a negative ratio or floor and a window that is not positive', () => {
  for (const options of [
    { ratio: -0.1, minPerSecond: 0, windowMs: 1_000 },
    { ratio: 0.1, minPerSecond: -1, windowMs: 1_000 },
    { ratio: 0.1, minPerSecond: 0, windowMs: 0 },
    { ratio: Number.NaN, minPerSecond: 0, windowMs: 1_000 },
    { ratio: 0.1, minPerSecond: 0, windowMs: Number.NaN },
  ]) {
    assert.throws(() => new LoadBudget(options), RangeError, JSON.stringify(options));
  }
});

test('without calls only the floor (minPerSecond × window) can be taken', () => {
  const budget = new LoadBudget({ ratio: 0.5, minPerSecond: 2, windowMs: 2_000 });
  assert.equal(takeAll(budget, 0), 4);
});

test('with no floor and no calls nothing can be taken', () => {
  const budget = new LoadBudget({ ratio: 1, minPerSecond: 0, windowMs: 1_000 });
  assert.equal(budget.tryTake(0), false);
});

test('each call earns `ratio` extra attempts', () => {
  const budget = new LoadBudget({ ratio: 0.2, minPerSecond: 0, windowMs: 1_000 });
  for (let i = 0; i < 10; i++) budget.recordCall(0);
  assert.equal(takeAll(budget, 0), 2);
  for (let i = 0; i < 4; i++) budget.recordCall(0);
  assert.equal(budget.tryTake(0), false, '14 calls earn 2.8 extra attempts');
  budget.recordCall(0);
  assert.equal(budget.tryTake(0), true, '15 calls earn 3');
});

test('a refused take takes nothing', () => {
  const budget = new LoadBudget({ ratio: 0.5, minPerSecond: 0, windowMs: 1_000 });
  budget.recordCall(0);
  budget.recordCall(0);
  for (let i = 0; i < 5; i++) budget.tryTake(0);
  budget.recordCall(0);
  budget.recordCall(0);
  assert.equal(takeAll(budget, 0), 1, '4 calls earn 2: one was taken, the refusals took none');
});

test('calls and takes leave the window windowMs after they were made', () => {
  const budget = new LoadBudget({ ratio: 1, minPerSecond: 0, windowMs: 1_000 });
  for (let i = 0; i < 3; i++) budget.recordCall(0);
  assert.equal(budget.tryTake(0), true);
  assert.equal(takeAll(budget, 999), 2, 'the calls at 0 still count just before the window ends');
  for (let i = 0; i < 2; i++) budget.recordCall(1_000);
  assert.equal(budget.tryTake(1_000), false, 'the calls at 0 have left, the takes at 999 have not');
  budget.recordCall(1_000);
  assert.equal(takeAll(budget, 1_000), 1);
  assert.equal(takeAll(budget, 1_999), 2, 'the takes at 999 have left');
});

test('the window slides one tenth of windowMs at a time', () => {
  const budget = new LoadBudget({ ratio: 1, minPerSecond: 0, windowMs: 1_000 });
  budget.recordCall(0);
  budget.recordCall(250);
  budget.recordCall(550);
  assert.equal(takeAll(budget, 1_099), 2, 'at 1099 the window is [100, 1100): the calls at 250 and 550');
  budget.recordCall(1_300);
  assert.equal(budget.tryTake(1_300), false, 'at 1300 it is [400, 1400): two calls, two takes');
  budget.recordCall(1_300);
  assert.equal(takeAll(budget, 1_300), 1);
  assert.equal(budget.tryTake(1_399), false, 'still [400, 1400)');
  assert.equal(takeAll(budget, 2_099), 1, 'at 2099 it is [1100, 2100): two calls at 1300, one take at 1300');
  assert.equal(budget.tryTake(2_300), false, 'at 2300 it is [1400, 2400): no calls');
});

test('a jump of several windows forgets everything', () => {
  const budget = new LoadBudget({ ratio: 1, minPerSecond: 0, windowMs: 1_000 });
  for (let i = 0; i < 5; i++) budget.recordCall(0);
  assert.equal(budget.tryTake(1e12), false);
  budget.recordCall(1e12);
  assert.equal(takeAll(budget, 1e12), 1);
});

test('a clock that steps back neither throws nor forgets', () => {
  const budget = new LoadBudget({ ratio: 1, minPerSecond: 0, windowMs: 1_000 });
  budget.recordCall(5_000);
  budget.recordCall(4_000);
  assert.equal(takeAll(budget, 3_000), 2);
});

test('defaults to the performance.now() clock', () => {
  const budget = new LoadBudget({ ratio: 1, minPerSecond: 0, windowMs: 60_000 });
  budget.recordCall();
  assert.equal(budget.tryTake(), true);
  assert.equal(budget.tryTake(), false);
});

type Step = { dtMs: number; op: 'call' | 'take'; count: number };
const BUCKETS = 10;

type Scenario = { ratio: number; minPerSecond: number; windowMs: number; startMs: number; steps: Step[] };

const scenario: fc.Arbitrary<Scenario> = fc.record({
  ratio: fc.constantFrom(0, 0.1, 0.2, 0.25, 0.5, 1, 1.5),
  minPerSecond: fc.constantFrom(0, 0.5, 1, 3),
  windowMs: fc.constantFrom(1_000, 2_000, 10_000),
  startMs: fc.integer({ min: 0, max: 50_000 }),
  steps: fc.array(
    fc.record({
      dtMs: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 400 }), fc.integer({ min: 0, max: 25_000 })),
      op: fc.constantFrom<Step['op']>('call', 'take'),
      count: fc.integer({ min: 1, max: 8 }),
    }),
    { maxLength: 120 },
  ),
});

/** Replays a scenario with injected times; returns when each call happened and each granted take. */
function replay({ ratio, minPerSecond, windowMs, startMs, steps }: Scenario) {
  const budget = new LoadBudget({ ratio, minPerSecond, windowMs });
  const calls: number[] = [];
  const takes: number[] = [];
  /** Each take decision, with how many calls and takes came before it. */
  const decisions: { now: number; granted: boolean; callsBefore: number; takesBefore: number }[] = [];
  let now = startMs;
  for (const { dtMs, op, count } of steps) {
    now += dtMs;
    for (let i = 0; i < count; i++) {
      if (op === 'call') {
        budget.recordCall(now);
        calls.push(now);
      } else {
        const granted = budget.tryTake(now);
        decisions.push({ now, granted, callsBefore: calls.length, takesBefore: takes.length });
        if (granted) takes.push(now);
      }
    }
  }
  return { calls, takes, decisions, floor: (minPerSecond * windowMs) / 1000 };
}

const within = (times: number[], from: number, to: number) => times.filter((t) => t >= from && t < to).length;

test('property: at each take, takes in the window it ends never exceed ratio × calls in that window + floor', () => {
  fc.assert(
    fc.property(scenario, (s) => {
      const { calls, takes, decisions, floor } = replay(s);
      const bucketMs = s.windowMs / BUCKETS;
      for (const { now, granted, callsBefore, takesBefore } of decisions) {
        if (!granted) continue;
        // The window at `now`: the bucket (a tenth of windowMs, aligned to 0) holding `now` and the nine before it.
        const from = (Math.floor(now / bucketMs) - (BUCKETS - 1)) * bucketMs;
        const taken = within(takes.slice(0, takesBefore + 1), from, now + 1);
        const earned = s.ratio * within(calls.slice(0, callsBefore), from, now + 1) + floor;
        assert.ok(taken <= earned + 1e-9, `take at ${now}: ${taken} taken of ${earned}`);
      }
    }),
    { numRuns: 300 },
  );
});

test('property: at each take, the takes of the last 0.9 × windowMs never exceed ratio × calls of the last windowMs + floor', () => {
  fc.assert(
    fc.property(scenario, (s) => {
      const { calls, takes, decisions, floor } = replay(s);
      const bucketMs = s.windowMs / BUCKETS;
      for (const { now, granted, callsBefore, takesBefore } of decisions) {
        if (!granted) continue;
        const recentTakes = within(takes.slice(0, takesBefore + 1), now - s.windowMs + bucketMs, now + 1);
        const recentCalls = within(calls.slice(0, callsBefore), now - s.windowMs + 1, now + 1);
        assert.ok(recentTakes <= s.ratio * recentCalls + floor + 1e-9, `take at ${now}`);
      }
    }),
    { numRuns: 300 },
  );
});

test('property: a take is refused only when the calls in the window have earned nothing more', () => {
  fc.assert(
    fc.property(scenario, (s) => {
      const { calls, takes, decisions, floor } = replay(s);
      const bucketMs = s.windowMs / BUCKETS;
      for (const { now, granted, callsBefore, takesBefore } of decisions) {
        if (granted) continue;
        // What the budget counts at `now`: its current bucket and the nine before.
        const from = (Math.floor(now / bucketMs) - (BUCKETS - 1)) * bucketMs;
        const earned = s.ratio * within(calls.slice(0, callsBefore), from, now + 1) + floor;
        const taken = within(takes.slice(0, takesBefore), from, now + 1);
        assert.ok(taken + 1 > earned, `refused at ${now} with ${taken} taken of ${earned}`);
      }
    }),
    { numRuns: 300 },
  );
});

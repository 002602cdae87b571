import assert from 'node:assert/strict';
import { getEventListeners } from 'node:events';
import { test, type TestContext } from 'node:test';
import { HEDGE_LOST, hedged } from './hedge.ts';

type Launch = { signal: AbortSignal; resolve: (value: string) => void; reject: (error: Error) => void };

/** An attempt whose every launch the test settles by hand; a launch rejects with the reason when its signal aborts. */
function controlledAttempt() {
  const launches: Launch[] = [];
  const attempt = (signal: AbortSignal) => {
    const { promise, resolve, reject } = Promise.withResolvers<string>();
    signal.addEventListener('abort', () => reject(signal.reason as Error), { once: true });
    launches.push({ signal, resolve, reject });
    return promise;
  };
  return { attempt, launches };
}

/** Lets every settled promise run its callbacks (setImmediate is not faked). */
const flush = () => new Promise<void>((resolve) => setImmediate(resolve));

function setup(t: TestContext, mayHedge = true) {
  t.mock.timers.enable({ apis: ['setTimeout'] });
  const { attempt, launches } = controlledAttempt();
  const counts = { mayHedge: 0, onHedge: 0 };
  const parent = new AbortController();
  const options = {
    afterMs: 50,
    mayHedge: () => {
      counts.mayHedge++;
      return mayHedge;
    },
    onHedge: () => counts.onHedge++,
  };
  const result = hedged(attempt, options, parent.signal);
  const outcome = result.then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
  return { launches, counts, parent, outcome, tick: (ms: number) => t.mock.timers.tick(ms) };
}

test('no hedge when the first attempt answers before afterMs', async (t) => {
  const { launches, counts, outcome, tick } = setup(t);
  tick(49);
  launches[0]!.resolve('first');
  assert.deepEqual(await outcome, { value: 'first' });
  tick(1_000);
  await flush();
  assert.equal(launches.length, 1);
  assert.deepEqual(counts, { mayHedge: 0, onHedge: 0 });
});

test('hedges after afterMs when mayHedge() agrees; the first success wins and the loser is aborted', async (t) => {
  const { launches, counts, outcome, tick } = setup(t);
  tick(49);
  assert.equal(launches.length, 1);
  tick(1);
  assert.equal(launches.length, 2);
  assert.deepEqual(counts, { mayHedge: 1, onHedge: 1 });
  launches[1]!.resolve('hedge');
  assert.deepEqual(await outcome, { value: 'hedge' });
  assert.equal(launches[0]!.signal.aborted, true, 'the slower first attempt is cancelled');
  assert.equal(launches[0]!.signal.reason, HEDGE_LOST, 'with the reason built once, not a fresh DOMException');
  assert.equal(launches[1]!.signal.aborted, false, 'the winner has nothing left to cancel');
  tick(1_000);
  await flush();
  assert.equal(launches.length, 2, 'one hedge at most');
});

test('the first attempt can still win after the hedge started; then the hedge is aborted', async (t) => {
  const { launches, outcome, tick } = setup(t);
  tick(50);
  launches[0]!.resolve('first');
  assert.deepEqual(await outcome, { value: 'first' });
  assert.equal(launches[1]!.signal.aborted, true);
  assert.equal(launches[1]!.signal.reason, HEDGE_LOST);
  // Aborting a finished attempt would only cost an abort event (and, without a reason, a DOMException).
  assert.equal(launches[0]!.signal.aborted, false, 'the winner is left alone');
});

test('no hedge when mayHedge() refuses', async (t) => {
  const { launches, counts, outcome, tick } = setup(t, false);
  tick(1_000);
  assert.equal(launches.length, 1);
  assert.deepEqual(counts, { mayHedge: 1, onHedge: 0 });
  launches[0]!.resolve('first');
  assert.deepEqual(await outcome, { value: 'first' });
});

test('rejects at once when the first attempt fails before afterMs, and never hedges', async (t) => {
  const { launches, counts, outcome, tick } = setup(t);
  const failure = new Error('503');
  tick(10);
  launches[0]!.reject(failure);
  assert.deepEqual(await outcome, { error: failure });
  tick(1_000);
  await flush();
  assert.equal(launches.length, 1);
  assert.deepEqual(counts, { mayHedge: 0, onHedge: 0 });
});

test('after a hedge, one failure waits for the other attempt', async (t) => {
  const { launches, outcome, tick } = setup(t);
  tick(50);
  launches[0]!.reject(new Error('503'));
  await flush();
  assert.equal(launches[1]!.signal.aborted, false);
  launches[1]!.resolve('hedge');
  assert.deepEqual(await outcome, { value: 'hedge' });
});

test('rejects with the last failure when both attempts fail', async (t) => {
  for (const order of [
    [0, 1],
    [1, 0],
  ] as const) {
    const { launches, outcome, tick } = setup(t);
    tick(50);
    const failures = [new Error('first failed'), new Error('hedge failed')];
    launches[order[0]]!.reject(failures[order[0]]!);
    await flush();
    launches[order[1]]!.reject(failures[order[1]]!);
    assert.deepEqual(await outcome, { error: failures[order[1]] });
    t.mock.timers.reset();
  }
});

test('aborting the parent signal aborts both attempts and rejects', async (t) => {
  const { launches, parent, outcome, tick } = setup(t);
  tick(50);
  const reason = new Error('deadline');
  parent.abort(reason);
  assert.equal(launches[0]!.signal.aborted, true);
  assert.equal(launches[1]!.signal.aborted, true);
  assert.deepEqual(await outcome, { error: reason });
});

test('aborting the parent before afterMs rejects without a hedge', async (t) => {
  const { launches, counts, parent, outcome, tick } = setup(t);
  tick(10);
  const reason = new Error('deadline');
  parent.abort(reason);
  assert.deepEqual(await outcome, { error: reason });
  tick(1_000);
  await flush();
  assert.equal(launches.length, 1);
  assert.deepEqual(counts, { mayHedge: 0, onHedge: 0 });
});

test('no hedge is started, nor budget taken, after the parent aborted, even if the attempt is slow to notice', async (t) => {
  t.mock.timers.enable({ apis: ['setTimeout'] });
  const launches: Launch[] = [];
  // Like a request whose rejection arrives some time after the abort.
  const attempt = (signal: AbortSignal) => {
    const { promise, resolve, reject } = Promise.withResolvers<string>();
    launches.push({ signal, resolve, reject });
    return promise;
  };
  let asked = 0;
  const parent = new AbortController();
  const result = hedged(attempt, { afterMs: 50, mayHedge: () => ++asked > 0 }, parent.signal);
  parent.abort(new Error('deadline'));
  t.mock.timers.tick(50);
  assert.equal(asked, 0, 'no budget taken');
  assert.equal(launches.length, 1, 'no attempt started for a caller that has gone');
  launches[0]!.reject(new Error('aborted'));
  await assert.rejects(result, /aborted/);
});

test('leaves nothing behind on a long-lived caller signal (regression: AbortSignal.any leaked on Node 24)', async (t) => {
  const parent = new AbortController();
  t.mock.method(AbortSignal, 'any', () => assert.fail('AbortSignal.any keeps registry entries alive on every call'));
  for (let i = 0; i < 100; i++) {
    const value = await hedged(
      (signal) => Promise.resolve(signal.aborted ? 'aborted' : 'ok'),
      { afterMs: 50, mayHedge: () => true },
      parent.signal,
    );
    assert.equal(value, 'ok');
  }
  const failed = hedged(() => Promise.reject(new Error('down')), { afterMs: 50, mayHedge: () => true }, parent.signal);
  await assert.rejects(failed, /down/);
  assert.equal(getEventListeners(parent.signal, 'abort').length, 0, 'every listener on the caller signal was removed');
});

test('an attempt started on an already aborted signal sees the abort', async () => {
  const parent = new AbortController();
  const reason = new Error('deadline');
  parent.abort(reason);
  const seen = await hedged<unknown>(
    (signal) => Promise.resolve(signal.reason as unknown),
    { afterMs: 50, mayHedge: () => false },
    parent.signal,
  );
  assert.equal(seen, reason);
});

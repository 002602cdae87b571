import assert from 'node:assert/strict';
import { getEventListeners } from 'node:events';
import { test } from 'node:test';
import { ATTEMPT_TIMED_OUT, withAttemptTimeout } from './attempt-timeout.ts';

/** An attempt that answers only when aborted, with the abort's reason. */
const untilAborted = (signal: AbortSignal) =>
  new Promise<never>((_, reject) =>
    signal.addEventListener('abort', () => reject(signal.reason as Error), { once: true }),
  );

test('returns what the attempt returns, and leaves no listener or timer behind', async (t) => {
  t.mock.timers.enable({ apis: ['setTimeout'] });
  const parent = new AbortController();
  let seen: AbortSignal | undefined;
  const value = await withAttemptTimeout(50, parent.signal, (signal) => {
    seen = signal;
    return Promise.resolve('ok');
  });
  assert.equal(value, 'ok');
  assert.equal(getEventListeners(parent.signal, 'abort').length, 0);
  t.mock.timers.tick(1_000);
  assert.equal(seen!.aborted, false, 'the timer was cleared');
});

test('aborts the attempt with ATTEMPT_TIMED_OUT after timeoutMs, not before', async (t) => {
  t.mock.timers.enable({ apis: ['setTimeout'] });
  const parent = new AbortController();
  let seen: AbortSignal | undefined;
  const outcome = withAttemptTimeout(50, parent.signal, (signal) => {
    seen = signal;
    return untilAborted(signal);
  });
  t.mock.timers.tick(49);
  assert.equal(seen!.aborted, false);
  t.mock.timers.tick(1);
  await assert.rejects(outcome, (error) => error === ATTEMPT_TIMED_OUT);
  assert.equal(getEventListeners(parent.signal, 'abort').length, 0);
});

test("follows the caller's signal, with its reason", async () => {
  const parent = new AbortController();
  const outcome = withAttemptTimeout(5_000, parent.signal, untilAborted);
  const reason = new Error('deadline');
  parent.abort(reason);
  await assert.rejects(outcome, (error) => error === reason);
});

test('an attempt started on an aborted signal sees the abort at once', async () => {
  const parent = new AbortController();
  const reason = new Error('gone');
  parent.abort(reason);
  const seen = await withAttemptTimeout(5_000, parent.signal, (signal) => Promise.resolve(signal.reason as unknown));
  assert.equal(seen, reason);
});

test('a synchronous throw becomes a rejection, and cleans up', async () => {
  const parent = new AbortController();
  const failure = new Error('bad request');
  await assert.rejects(
    withAttemptTimeout(5_000, parent.signal, () => {
      throw failure;
    }),
    (error) => error === failure,
  );
  assert.equal(getEventListeners(parent.signal, 'abort').length, 0);
});

test("given the attempt's own controller, the timeout aborts it directly: no listener, no second controller", async (t) => {
  t.mock.timers.enable({ apis: ['setTimeout'] });
  const own = new AbortController();
  let seen: AbortSignal | undefined;
  const outcome = withAttemptTimeout(50, own, (signal) => {
    seen = signal;
    return untilAborted(signal);
  });
  assert.equal(seen, own.signal);
  assert.equal(getEventListeners(own.signal, 'abort').length, 1, "only the attempt's own");
  t.mock.timers.tick(50);
  await assert.rejects(outcome, (error) => error === ATTEMPT_TIMED_OUT);
  assert.equal(own.signal.reason, ATTEMPT_TIMED_OUT);
});

import assert from 'node:assert/strict';
import { once } from 'node:events';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { DEADLINE_PASSED, deadlineIn } from './deadline.ts';

/** Timers fire on whole milliseconds of the event loop's clock, so up to about 1 ms before `performance.now()` says. */
const CLOCK_SLACK_MS = 2;

test('the signal aborts at the deadline, not before', async () => {
  const started = performance.now();
  const deadline = deadlineIn(40);
  assert.ok(deadline.at >= started + 40 && deadline.at <= performance.now() + 40);
  assert.equal(deadline.signal.aborted, false);
  await once(deadline.signal, 'abort');
  assert.ok(performance.now() >= deadline.at - CLOCK_SLACK_MS, `aborted ${deadline.at - performance.now()} ms early`);
  assert.equal((deadline.signal.reason as Error).name, 'TimeoutError');
});

test('remainingMs() counts down and stops at 0', async () => {
  const deadline = deadlineIn(30);
  const first = deadline.remainingMs();
  assert.ok(first > 0 && first <= 30);
  await sleep(5);
  const second = deadline.remainingMs();
  assert.ok(second < first, `${second} < ${first}`);
  await once(deadline.signal, 'abort');
  await sleep(CLOCK_SLACK_MS + 5);
  assert.equal(deadline.remainingMs(), 0);
});

test('a deadline of 0 or less has passed already', async () => {
  for (const ms of [0, -5]) {
    const deadline = deadlineIn(ms);
    assert.equal(deadline.remainingMs(), 0);
    if (!deadline.signal.aborted) await once(deadline.signal, 'abort');
  }
});

test('takes fractional milliseconds, as remainingMs() returns them', async () => {
  const parent = deadlineIn(30);
  const child = deadlineIn(parent.remainingMs() / 2);
  assert.ok(child.at < parent.at);
  await once(child.signal, 'abort');
  assert.ok(performance.now() >= child.at - CLOCK_SLACK_MS);
  assert.equal(deadlineIn(1.5).signal.aborted, false);
});

test('a deadline past the timer limit (about 24.8 days) does not fire at once', async () => {
  const deadline = deadlineIn(30 * 24 * 3_600_000);
  await sleep(20);
  assert.equal(deadline.signal.aborted, false);
  assert.ok(deadline.remainingMs() > 29 * 24 * 3_600_000);
});

test('every deadline aborts with the one reason built at load, not a DOMException of its own', async () => {
  const first = deadlineIn(1);
  const second = deadlineIn(1);
  await Promise.all([once(first.signal, 'abort'), once(second.signal, 'abort')]);
  assert.equal(first.signal.reason, DEADLINE_PASSED);
  assert.equal(second.signal.reason, DEADLINE_PASSED);
});

test('release() clears the timer: the signal never aborts', async () => {
  const deadline = deadlineIn(10);
  deadline.release();
  await sleep(30);
  assert.equal(deadline.signal.aborted, false);
  assert.equal(deadline.remainingMs(), 0, 'the time is still up');
});

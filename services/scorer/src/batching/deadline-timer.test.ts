import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DeadlineTimer } from './deadline-timer.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

test('expires each item once its deadline has passed, never before, earliest first', async () => {
  const expired: { name: string; lateMs: number }[] = [];
  const timer = new DeadlineTimer<{ name: string; deadlineAt: number }>((item) =>
    expired.push({ name: item.name, lateMs: performance.now() - item.deadlineAt }),
  );
  const now = performance.now();
  timer.add({ name: 'late', deadlineAt: now + 40 });
  // An earlier deadline than the armed one re-arms the timer.
  timer.add({ name: 'early', deadlineAt: now + 10 });
  await sleep(80);
  assert.deepEqual(
    expired.map((e) => e.name),
    ['early', 'late'],
  );
  for (const { lateMs } of expired) assert.ok(lateMs >= 0 && lateMs < 30, `expired ${lateMs} ms after the deadline`);
});

test('an item deleted before its deadline is never expired; the others still are', async () => {
  const expired: string[] = [];
  const timer = new DeadlineTimer<{ name: string; deadlineAt: number }>((item) => expired.push(item.name));
  const settled = { name: 'settled', deadlineAt: performance.now() + 10 };
  timer.add(settled);
  timer.add({ name: 'waiting', deadlineAt: performance.now() + 20 });
  timer.delete(settled);
  await sleep(50);
  assert.deepEqual(expired, ['waiting']);
});

test('items added while expiring others are watched too', async () => {
  const expired: string[] = [];
  const timer: DeadlineTimer<{ name: string; deadlineAt: number }> = new DeadlineTimer((item) => {
    expired.push(item.name);
    if (item.name === 'first') timer.add({ name: 'second', deadlineAt: performance.now() + 5 });
  });
  timer.add({ name: 'first', deadlineAt: performance.now() + 5 });
  await sleep(50);
  assert.deepEqual(expired, ['first', 'second']);
});

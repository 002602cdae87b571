import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Deadline } from './deadline.ts';
import { SingleFlight } from './single-flight.ts';

type Call = { key: string; deadline: Deadline; resolve: (value: string) => void; reject: (error: Error) => void };

/** A deadline `at` on a clock of its own; it passes only when aborted by hand. */
function deadlineAt(at: number): Deadline & { pass(reason?: Error): void } {
  const controller = new AbortController();
  return {
    at,
    signal: controller.signal,
    remainingMs: () => (controller.signal.aborted ? 0 : at),
    pass: (reason = new Error('deadline passed')) => controller.abort(reason),
  };
}

function setup() {
  let joins = 0;
  const flights = new SingleFlight<string>({ onJoin: () => joins++ });
  const calls: Call[] = [];
  const callFor = (key: string) => (deadline: Deadline) => {
    const { promise, resolve, reject } = Promise.withResolvers<string>();
    calls.push({ key, deadline, resolve, reject });
    return promise;
  };
  const run = (key: string, deadline: Deadline = deadlineAt(1_000)) =>
    flights.run(key, deadline, callFor(key)).then(
      (value) => ({ value }),
      (error: unknown) => ({ error }),
    );
  return { calls, run, joins: () => joins };
}

test('concurrent callers of one key share one call, and each join is counted', async () => {
  const { calls, run, joins } = setup();
  const waiting = [run('a'), run('a'), run('a')];
  assert.equal(calls.length, 1);
  assert.equal(joins(), 2);
  calls[0]!.resolve('A');
  assert.deepEqual(await Promise.all(waiting), [{ value: 'A' }, { value: 'A' }, { value: 'A' }]);
});

test('different keys get their own calls', async () => {
  const { calls, run, joins } = setup();
  const a = run('a');
  const b = run('b');
  assert.deepEqual(
    calls.map((call) => call.key),
    ['a', 'b'],
  );
  calls[1]!.resolve('B');
  calls[0]!.resolve('A');
  assert.deepEqual(await Promise.all([a, b]), [{ value: 'A' }, { value: 'B' }]);
  assert.equal(joins(), 0);
});

test('the call runs under the deadline of the caller that started it', () => {
  const { calls, run } = setup();
  const first = deadlineAt(500);
  void run('a', first);
  void run('a', deadlineAt(400));
  assert.equal(calls.length, 1);
  assert.equal(calls[0]!.deadline, first);
  void run('a', deadlineAt(550));
  assert.equal(calls.length, 1, 'a tenth more time is not worth a call of its own');
  calls[0]!.resolve('A');
});

test('a caller with much more time than the flight starts its own call, which later callers join', async () => {
  const { calls, run, joins } = setup();
  const short = run('a', deadlineAt(100));
  const long = run('a', deadlineAt(900));
  assert.equal(calls.length, 2, 'the shared call would end before the second caller is done waiting');
  const joining = run('a', deadlineAt(990));
  assert.equal(calls.length, 2);
  assert.equal(joins(), 1);
  calls[0]!.reject(new Error('deadline passed'));
  assert.deepEqual(await short, { error: new Error('deadline passed') });
  // The first flight's settlement must not make the map forget the second.
  const late = run('a', deadlineAt(700));
  assert.equal(calls.length, 2, 'still joins the second flight');
  calls[1]!.resolve('B');
  assert.deepEqual(await Promise.all([long, joining, late]), [{ value: 'B' }, { value: 'B' }, { value: 'B' }]);
});

test('a settled flight is forgotten: the next caller runs the call again', async () => {
  const { calls, run, joins } = setup();
  const first = run('a');
  calls[0]!.resolve('A1');
  assert.deepEqual(await first, { value: 'A1' });
  const second = run('a');
  assert.equal(calls.length, 2);
  calls[1]!.reject(new Error('down'));
  assert.deepEqual(await second, { error: new Error('down') });
  const third = run('a');
  assert.equal(calls.length, 3, 'a failed flight is forgotten too');
  calls[2]!.resolve('A3');
  assert.deepEqual(await third, { value: 'A3' });
  assert.equal(joins(), 0);
});

test('a rejection reaches every waiter, as the same error', async () => {
  const { calls, run } = setup();
  const waiting = [run('a'), run('a'), run('a')];
  const failure = new Error('503');
  calls[0]!.reject(failure);
  for (const outcome of await Promise.all(waiting)) assert.equal((outcome as { error: unknown }).error, failure);
});

test('a call that throws at once fails its callers and is forgotten', async () => {
  const flights = new SingleFlight<string>();
  let calls = 0;
  const boom = () => {
    calls++;
    throw new Error('boom');
  };
  await assert.rejects(flights.run('a', deadlineAt(1_000), boom), /boom/);
  await assert.rejects(flights.run('a', deadlineAt(1_000), boom), /boom/);
  assert.equal(calls, 2);
});

test('a caller whose deadline has passed is refused at once and starts no call', async () => {
  const { calls, run } = setup();
  const gone = deadlineAt(1_000);
  const reason = new Error('already gone');
  gone.pass(reason);
  assert.deepEqual(await run('a', gone), { error: reason });
  assert.equal(calls.length, 0);
});

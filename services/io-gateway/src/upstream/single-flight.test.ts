import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SingleFlight } from './single-flight.ts';

type Call = { key: string; signal: AbortSignal; resolve: (value: string) => void; reject: (error: Error) => void };

/**
 * A call settled by hand. Unless told to ignore it, it rejects with the reason when its signal aborts (a request that
 * ignores the abort stands for one whose rejection arrives late).
 */
function controlledCalls({ honourAbort = true } = {}) {
  const calls: Call[] = [];
  const callFor = (key: string) => (signal: AbortSignal) => {
    const { promise, resolve, reject } = Promise.withResolvers<string>();
    if (honourAbort) signal.addEventListener('abort', () => reject(signal.reason as Error), { once: true });
    calls.push({ key, signal, resolve, reject });
    return promise;
  };
  return { calls, callFor };
}

const settle = (promise: Promise<string>) =>
  promise.then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );

function setup(options: { honourAbort?: boolean } = {}) {
  let joins = 0;
  const flights = new SingleFlight<string>({ onJoin: () => joins++ });
  const { calls, callFor } = controlledCalls(options);
  const run = (key: string, signal = new AbortController().signal) => settle(flights.run(key, signal, callFor(key)));
  return { flights, calls, run, joins: () => joins };
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
  assert.equal(joins(), 0);
  calls[1]!.resolve('B');
  calls[0]!.resolve('A');
  assert.deepEqual(await Promise.all([a, b]), [{ value: 'A' }, { value: 'B' }]);
});

test('works without options', async () => {
  const flights = new SingleFlight<number>();
  const signal = new AbortController().signal;
  const shared = Promise.resolve(7);
  assert.deepEqual(
    await Promise.all([flights.run('k', signal, () => shared), flights.run('k', signal, () => shared)]),
    [7, 7],
  );
});

test('a caller that aborts stops waiting; the shared call goes on for the others', async () => {
  const { calls, run } = setup();
  const leaving = new AbortController();
  const reason = new Error('client went away');
  const first = run('a', leaving.signal);
  const second = run('a');
  leaving.abort(reason);
  assert.deepEqual(await first, { error: reason });
  assert.equal(calls[0]!.signal.aborted, false);
  calls[0]!.resolve('A');
  assert.deepEqual(await second, { value: 'A' });
});

test('the shared call is aborted when every caller has gone', async () => {
  const { calls, run } = setup();
  const one = new AbortController();
  const two = new AbortController();
  const first = run('a', one.signal);
  const second = run('a', two.signal);
  one.abort(new Error('one'));
  assert.equal(calls[0]!.signal.aborted, false);
  const last = new Error('two');
  two.abort(last);
  assert.equal(calls[0]!.signal.aborted, true);
  assert.equal(calls[0]!.signal.reason, last, 'with the reason of the last caller to leave');
  assert.deepEqual(await first, { error: new Error('one') });
  assert.deepEqual(await second, { error: last });
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
  const flights = new SingleFlight<string>();
  const { calls, callFor } = controlledCalls();
  const signal = new AbortController().signal;
  const waiting = [1, 2, 3].map(() => flights.run('a', signal, callFor('a')).catch((error: unknown) => error));
  const failure = new Error('503');
  calls[0]!.reject(failure);
  for (const error of await Promise.all(waiting)) assert.equal(error, failure);
});

test('a caller whose signal has already aborted is refused at once and does not hold the shared call', async () => {
  const { calls, run } = setup();
  const waiting = run('a');
  const reason = new Error('already gone');
  assert.deepEqual(await run('a', AbortSignal.abort(reason)), { error: reason });
  assert.equal(calls[0]!.signal.aborted, false);
  calls[0]!.resolve('A');
  assert.deepEqual(await waiting, { value: 'A' });
});

test('a lone caller whose signal has already aborted leaves no call running', async () => {
  const { calls, run } = setup({ honourAbort: false });
  const reason = new Error('already gone');
  assert.deepEqual(await run('a', AbortSignal.abort(reason)), { error: reason });
  assert.ok(
    calls.every((call) => call.signal.aborted),
    'no call was started, or it was aborted',
  );
});

test('after every caller has gone, a new caller starts a new call instead of joining the aborted one', async () => {
  // The aborted call has not settled yet: its rejection arrives late.
  const { calls, run, joins } = setup({ honourAbort: false });
  const gone = new AbortController();
  const first = run('a', gone.signal);
  gone.abort(new Error('gone'));
  assert.deepEqual(await first, { error: new Error('gone') });
  assert.equal(calls[0]!.signal.aborted, true);
  const second = run('a');
  assert.equal(calls.length, 2, 'a new call');
  assert.equal(joins(), 0);
  assert.equal(calls[1]!.signal.aborted, false);
  calls[1]!.resolve('fresh');
  calls[0]!.reject(new Error('aborted'));
  assert.deepEqual(await second, { value: 'fresh' });
  // The late rejection of the old call must not make the map forget the new flight.
  const third = run('a');
  assert.equal(calls.length, 3, 'the fresh flight settled and was forgotten too');
  calls[2]!.resolve('again');
  assert.deepEqual(await third, { value: 'again' });
});

test('the late settlement of an abandoned call does not evict the flight that replaced it', async () => {
  const { calls, run, joins } = setup({ honourAbort: false });
  const gone = new AbortController();
  void run('a', gone.signal);
  gone.abort(new Error('gone'));
  const replacing = run('a');
  calls[0]!.reject(new Error('aborted late'));
  await new Promise<void>((resolve) => setImmediate(resolve));
  const joining = run('a');
  assert.equal(calls.length, 2, 'joins the replacing flight');
  assert.equal(joins(), 1);
  calls[1]!.resolve('B');
  assert.deepEqual(await Promise.all([replacing, joining]), [{ value: 'B' }, { value: 'B' }]);
});

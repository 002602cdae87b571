import assert from 'node:assert/strict';
import { once } from 'node:events';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { deadlineIn, type Deadline } from './deadline.ts';
import { createDependency, type DependencyObserver, type DependencySettings } from './dependency.ts';
import { UpstreamError, type UpstreamFailure } from './upstream-error.ts';

const NAME = 'features';

/** Settings that never get in the way: a test tightens the one policy it is about. */
function settings(overrides: Partial<DependencySettings> = {}): DependencySettings {
  return {
    timeoutMs: 5_000,
    retry: { maxAttempts: 3, initialDelayMs: 0, maxDelayMs: 0 },
    breaker: { failureRatio: 0.5, minimumRequests: 1_000_000, windowMs: 10_000, halfOpenAfterMs: 60_000 },
    bulkhead: { maxConcurrent: 1_000, maxQueued: 1_000 },
    retryBudget: { ratio: 10, minPerSecond: 1_000 },
    ...overrides,
  };
}

function recorder() {
  const seen = { attempts: [] as string[], retries: 0, budgetExhausted: 0, hedges: 0, states: [] as string[] };
  const observer: DependencyObserver = {
    attempt: (outcome, seconds) => {
      assert.ok(seconds >= 0 && seconds < 60, `attempt took ${seconds} s`);
      seen.attempts.push(outcome);
    },
    retry: () => seen.retries++,
    budgetExhausted: () => seen.budgetExhausted++,
    hedge: () => seen.hedges++,
    breakerState: (state) => seen.states.push(state),
  };
  return { seen, observer };
}

const status = (code: number, retryAfterMs?: number) =>
  new UpstreamError(NAME, 'status', `HTTP ${code}`, { status: code, retryAfterMs });

/** An attempt that plays `steps` in order (the last one repeats): throws the errors, returns the rest. */
function scripted<T>(...steps: (T | Error)[]) {
  const starts: { signal: AbortSignal; at: number }[] = [];
  const attempt = (signal: AbortSignal): Promise<T> => {
    starts.push({ signal, at: performance.now() });
    const step = steps[Math.min(starts.length, steps.length) - 1]!;
    return step instanceof Error ? Promise.reject(step) : Promise.resolve(step);
  };
  return { attempt, starts };
}

/** An attempt that answers only when aborted, the way a well-behaved request does. */
const untilAborted = (signal: AbortSignal) =>
  new Promise<never>((_, reject) =>
    signal.addEventListener('abort', () => reject(signal.reason as Error), { once: true }),
  );

/** A deadline whose clock the test moves (its signal never aborts by itself). */
function manualDeadline(ms: number) {
  let elapsedMs = 0;
  const deadline: Deadline = {
    at: performance.now() + ms,
    signal: new AbortController().signal,
    remainingMs: () => Math.max(0, ms - elapsedMs),
  };
  return { deadline, advance: (byMs: number) => (elapsedMs += byMs) };
}

async function failureOf(promise: Promise<unknown>): Promise<UpstreamError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof UpstreamError, `rejected with ${String(error)}`);
    return error;
  }
  assert.fail('resolved');
}

test('a successful attempt runs once and its value is returned', async () => {
  const { seen, observer } = recorder();
  const dependency = createDependency(NAME, settings(), observer);
  const { attempt, starts } = scripted({ ok: true });
  assert.deepEqual(await dependency.call(attempt, deadlineIn(1_000)), { ok: true });
  assert.equal(starts.length, 1);
  assert.equal(starts[0]!.signal.aborted, false);
  assert.deepEqual(seen.attempts, ['ok']);
  assert.equal(dependency.name, NAME);
  assert.equal(dependency.breakerState, 'closed');
});

test('retries a retryable failure, then returns the success', async () => {
  const { seen, observer } = recorder();
  const dependency = createDependency(NAME, settings(), observer);
  const { attempt, starts } = scripted<string>(status(503), status(429), 'ok');
  assert.equal(await dependency.call(attempt, deadlineIn(1_000)), 'ok');
  assert.equal(starts.length, 3);
  assert.equal(seen.retries, 2);
  assert.deepEqual(seen.attempts, ['status', 'status', 'ok']);
});

test('a thrown error that is not an UpstreamError is a connect failure, and is retried', async () => {
  const { seen, observer } = recorder();
  const dependency = createDependency(NAME, settings(), observer);
  const reset = Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });
  const { attempt, starts } = scripted<string>(reset, 'ok');
  assert.equal(await dependency.call(attempt, deadlineIn(1_000)), 'ok');
  assert.equal(starts.length, 2);
  assert.deepEqual(seen.attempts, ['connect', 'ok']);
});

test('stops at maxAttempts and rejects with the last failure', async () => {
  for (const maxAttempts of [1, 2, 4]) {
    const dependency = createDependency(NAME, settings({ retry: { maxAttempts, initialDelayMs: 0, maxDelayMs: 0 } }));
    const failures = [status(503), status(502), status(504), status(503)];
    const { attempt, starts } = scripted(...failures);
    assert.equal(await failureOf(dependency.call(attempt, deadlineIn(1_000))), failures[maxAttempts - 1]);
    assert.equal(starts.length, maxAttempts);
  }
});

test('does not retry failures that are not retryable', async () => {
  const cases: [Error, UpstreamFailure][] = [
    [status(500), 'status'],
    [status(400), 'status'],
    [status(404), 'status'],
    [new UpstreamError(NAME, 'invalid-body', 'truncated'), 'invalid-body'],
    [new SyntaxError('Unexpected end of JSON input'), 'invalid-body'],
    [Object.assign(new Error('too large'), { code: 'UND_ERR_RES_EXCEEDED_MAX_SIZE' }), 'invalid-body'],
    [Object.assign(new Error('short body'), { code: 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH' }), 'invalid-body'],
    [Object.assign(new Error('no headers'), { code: 'UND_ERR_HEADERS_TIMEOUT' }), 'timeout'],
    [Object.assign(new Error('body stalled'), { code: 'UND_ERR_BODY_TIMEOUT' }), 'timeout'],
  ];
  for (const [thrown, expected] of cases) {
    const dependency = createDependency(NAME, settings());
    const { attempt, starts } = scripted(thrown);
    const failure = await failureOf(dependency.call(attempt, deadlineIn(1_000)));
    assert.equal(failure.failure, expected, thrown.message);
    assert.equal(failure.dependency, NAME);
    assert.equal(starts.length, 1, thrown.message);
    if (!(thrown instanceof UpstreamError)) assert.equal(failure.cause, thrown);
  }
});

test('waits at least the Retry-After the dependency asked for', async () => {
  const dependency = createDependency(NAME, settings());
  const { attempt, starts } = scripted<string>(status(503, 60), 'ok');
  assert.equal(await dependency.call(attempt, deadlineIn(5_000)), 'ok');
  const waitedMs = starts[1]!.at - starts[0]!.at;
  assert.ok(waitedMs >= 60 - 2, `waited ${waitedMs} ms`);
});

test('does not retry when Retry-After would pass the deadline', async () => {
  const dependency = createDependency(NAME, settings());
  const asked = status(503, 10_000);
  const { attempt, starts } = scripted<string>(asked, 'ok');
  const started = performance.now();
  assert.equal(await failureOf(dependency.call(attempt, deadlineIn(2_000))), asked);
  assert.equal(starts.length, 1);
  assert.ok(performance.now() - started < 1_000, 'gave up at once');
});

test('never starts a retry without time left before the deadline', async () => {
  const dependency = createDependency(NAME, settings({ retry: { maxAttempts: 8, initialDelayMs: 0, maxDelayMs: 0 } }));
  const { deadline, advance } = manualDeadline(100);
  const remainingAtStart: number[] = [];
  const failure = status(503);
  const attempt = () => {
    remainingAtStart.push(deadline.remainingMs());
    advance(32);
    return Promise.reject(failure);
  };
  assert.equal(await failureOf(dependency.call(attempt, deadline)), failure);
  // The failures leave 68, 36, then 4 ms: worth another attempt only while more than 5 ms remain.
  assert.deepEqual(remainingAtStart, [100, 68, 36]);
});

test('a backoff delay takes at most half the time left', async () => {
  const dependency = createDependency(
    NAME,
    settings({ retry: { maxAttempts: 2, initialDelayMs: 60_000, maxDelayMs: 60_000 } }),
  );
  const { attempt, starts } = scripted<string>(status(503), 'ok');
  const { deadline } = manualDeadline(45);
  assert.equal(await dependency.call(attempt, deadline), 'ok');
  const waitedMs = starts[1]!.at - starts[0]!.at;
  // At most (45 - 5) / 2 = 20 ms; the margin is for a busy machine.
  assert.ok(waitedMs < 500, `waited ${waitedMs} ms`);
});

test('the retry budget caps retries under sustained failure', async () => {
  const { seen, observer } = recorder();
  const dependency = createDependency(
    NAME,
    settings({
      retryBudget: { ratio: 0.2, minPerSecond: 1 },
      retry: { maxAttempts: 3, initialDelayMs: 0, maxDelayMs: 0 },
    }),
    observer,
  );
  const { attempt, starts } = scripted(status(503));
  const calls = 200;
  for (let i = 0; i < calls; i++) {
    assert.equal((await failureOf(dependency.call(attempt, deadlineIn(5_000)))).status, 503);
  }
  // 0.2 × 200 calls, plus the floor: 1 per second over the budget's 10 s window.
  const cap = 0.2 * calls + 10;
  assert.ok(seen.retries <= cap, `${seen.retries} retries`);
  assert.ok(seen.retries >= cap - 2, `the budget is spent, not hoarded: ${seen.retries} retries`);
  assert.equal(starts.length, calls + seen.retries);
  assert.ok(seen.budgetExhausted > 0);
});

test('the breaker opens after enough faults, fails fast, probes after halfOpenAfterMs and closes on success', async () => {
  const { seen, observer } = recorder();
  const breaker = { failureRatio: 0.5, minimumRequests: 4, windowMs: 1_000, halfOpenAfterMs: 100 };
  const dependency = createDependency(
    NAME,
    settings({ breaker, retry: { maxAttempts: 3, initialDelayMs: 0, maxDelayMs: 0 } }),
    observer,
  );
  const failing = scripted(status(500));
  for (let i = 0; i < 3; i++) await failureOf(dependency.call(failing.attempt, deadlineIn(1_000)));
  assert.equal(dependency.breakerState, 'closed', 'fewer than minimumRequests');
  await failureOf(dependency.call(failing.attempt, deadlineIn(1_000)));
  assert.equal(dependency.breakerState, 'open');
  assert.deepEqual(seen.states, ['open']);

  const refused = scripted('never');
  const failure = await failureOf(dependency.call(refused.attempt, deadlineIn(1_000)));
  assert.equal(failure.failure, 'circuit-open');
  assert.equal(failure.retryable, false);
  assert.equal(refused.starts.length, 0, 'the attempt is not called');
  assert.equal(seen.retries, 0);

  await sleep(150);
  let stateDuringProbe: string | undefined;
  const probe = async () => {
    stateDuringProbe = dependency.breakerState;
    return Promise.resolve('ok');
  };
  assert.equal(await dependency.call(probe, deadlineIn(1_000)), 'ok');
  assert.equal(stateDuringProbe, 'half-open');
  assert.equal(dependency.breakerState, 'closed');
  assert.deepEqual(seen.states, ['open', 'half-open', 'closed']);
});

test('refusesCalls is true while the circuit is open and no trial call is due yet', async () => {
  const breaker = { failureRatio: 0.5, minimumRequests: 2, windowMs: 1_000, halfOpenAfterMs: 100 };
  const dependency = createDependency(NAME, settings({ breaker }));
  assert.equal(dependency.refusesCalls(), false);
  const failing = scripted(status(500));
  for (let i = 0; i < 2; i++) await failureOf(dependency.call(failing.attempt, deadlineIn(1_000)));
  assert.equal(dependency.breakerState, 'open');
  assert.equal(dependency.refusesCalls(), true);
  await sleep(150);
  assert.equal(dependency.refusesCalls(), false, 'a trial call is due: it must be let through');
  assert.equal(await dependency.call(() => Promise.resolve('ok'), deadlineIn(1_000)), 'ok');
  assert.equal(dependency.refusesCalls(), false);
});

test('a failed probe opens the breaker again', async () => {
  const { seen, observer } = recorder();
  const breaker = { failureRatio: 0.5, minimumRequests: 2, windowMs: 1_000, halfOpenAfterMs: 60 };
  const dependency = createDependency(NAME, settings({ breaker }), observer);
  const failing = scripted(new UpstreamError(NAME, 'invalid-body', 'truncated'));
  for (let i = 0; i < 2; i++) await failureOf(dependency.call(failing.attempt, deadlineIn(1_000)));
  assert.equal(dependency.breakerState, 'open');
  await sleep(100);
  assert.equal((await failureOf(dependency.call(failing.attempt, deadlineIn(1_000)))).failure, 'invalid-body');
  assert.equal(failing.starts.length, 3);
  assert.equal(dependency.breakerState, 'open');
  assert.equal((await failureOf(dependency.call(failing.attempt, deadlineIn(1_000)))).failure, 'circuit-open');
  assert.equal(failing.starts.length, 3);
  assert.deepEqual(seen.states, ['open', 'half-open', 'open']);
});

test('a 404 is neither retried nor a fault', async () => {
  const breaker = { failureRatio: 0.1, minimumRequests: 2, windowMs: 1_000, halfOpenAfterMs: 60_000 };
  const dependency = createDependency(NAME, settings({ breaker }));
  const { attempt, starts } = scripted(status(404));
  for (let i = 0; i < 10; i++) assert.equal((await failureOf(dependency.call(attempt, deadlineIn(1_000)))).status, 404);
  assert.equal(starts.length, 10);
  assert.equal(dependency.breakerState, 'closed');
});

test('the bulkhead refuses calls past maxConcurrent + maxQueued, without counting a fault', async () => {
  const { seen, observer } = recorder();
  const breaker = { failureRatio: 0.1, minimumRequests: 1, windowMs: 1_000, halfOpenAfterMs: 60_000 };
  const dependency = createDependency(
    NAME,
    settings({ breaker, bulkhead: { maxConcurrent: 2, maxQueued: 1 } }),
    observer,
  );
  const gates: PromiseWithResolvers<string>[] = [];
  const attempt = () => {
    const gate = Promise.withResolvers<string>();
    gates.push(gate);
    return gate.promise;
  };
  const admitted = [1, 2, 3].map(() => dependency.call(attempt, deadlineIn(5_000)));
  const refused = await failureOf(dependency.call(attempt, deadlineIn(5_000)));
  assert.equal(refused.failure, 'bulkhead-full');
  assert.equal(refused.retryable, false);
  assert.equal(gates.length, 2, 'two running, one queued');
  gates[0]!.resolve('a');
  await sleep(10);
  assert.equal(gates.length, 3, 'the queued call runs when a slot frees');
  gates[1]!.resolve('b');
  gates[2]!.resolve('c');
  assert.deepEqual(await Promise.all(admitted), ['a', 'b', 'c']);
  assert.equal(dependency.breakerState, 'closed');
  assert.deepEqual(seen.attempts, ['ok', 'ok', 'ok']);
  assert.equal(seen.retries, 0);
});

test('a call queued in the bulkhead gives up at its deadline', async () => {
  const dependency = createDependency(NAME, settings({ bulkhead: { maxConcurrent: 1, maxQueued: 1 } }));
  const release = Promise.withResolvers<string>();
  const releaseLater = setTimeout(() => release.resolve('slow'), 2_000);
  const running = dependency.call(() => release.promise, deadlineIn(5_000));
  const started = performance.now();
  const queued = scripted('never');
  const failure = await failureOf(dependency.call(queued.attempt, deadlineIn(50)));
  const waitedMs = performance.now() - started;
  release.resolve('done');
  clearTimeout(releaseLater);
  assert.equal(failure.failure, 'deadline');
  assert.ok(waitedMs < 1_000, `waited ${waitedMs} ms for a 50 ms deadline`);
  assert.equal(queued.starts.length, 0);
  assert.equal(await running, 'done');
});

test('the per-attempt timeout fails with `timeout`, which is not retried but is a fault', async () => {
  const { seen, observer } = recorder();
  const breaker = { failureRatio: 0.5, minimumRequests: 2, windowMs: 1_000, halfOpenAfterMs: 60_000 };
  const dependency = createDependency(NAME, settings({ timeoutMs: 30, breaker }), observer);
  const signals: AbortSignal[] = [];
  const attempt = (signal: AbortSignal) => {
    signals.push(signal);
    return untilAborted(signal);
  };
  const failures = await Promise.all([1, 2].map(() => failureOf(dependency.call(attempt, deadlineIn(5_000)))));
  assert.deepEqual(
    failures.map((failure) => failure.failure),
    ['timeout', 'timeout'],
  );
  assert.equal(signals.length, 2, 'not retried');
  assert.deepEqual(seen.attempts, ['timeout', 'timeout']);
  assert.equal(dependency.breakerState, 'open');
});

test('the request deadline fails with `deadline`, which is not a fault', async () => {
  const { seen, observer } = recorder();
  const breaker = { failureRatio: 0.1, minimumRequests: 2, windowMs: 1_000, halfOpenAfterMs: 60_000 };
  const dependency = createDependency(NAME, settings({ breaker }), observer);
  const started = performance.now();
  const failures = await Promise.all([1, 2, 3].map(() => failureOf(dependency.call(untilAborted, deadlineIn(30)))));
  assert.ok(performance.now() - started < 1_000);
  for (const failure of failures) {
    assert.equal(failure.failure, 'deadline');
    assert.equal(failure.isFault, false);
  }
  assert.deepEqual(seen.attempts, ['deadline', 'deadline', 'deadline']);
  assert.equal(dependency.breakerState, 'closed');
});

test('a call whose deadline has passed fails with `deadline` without an attempt', async () => {
  const dependency = createDependency(NAME, settings());
  const deadline = deadlineIn(0);
  if (!deadline.signal.aborted) await once(deadline.signal, 'abort');
  const { attempt, starts } = scripted('never');
  assert.equal((await failureOf(dependency.call(attempt, deadline))).failure, 'deadline');
  assert.equal(starts.length, 0);
});

test('hedges a slow idempotent call after a numeric afterMs; the loser is aborted', async () => {
  const { seen, observer } = recorder();
  const dependency = createDependency(NAME, settings({ hedge: { afterMs: 20, maxExtraPercent: 100 } }), observer);
  const signals: AbortSignal[] = [];
  const attempt = (signal: AbortSignal) => {
    signals.push(signal);
    return signals.length === 1 ? untilAborted(signal) : Promise.resolve('hedge');
  };
  assert.equal(await dependency.call(attempt, deadlineIn(5_000), { idempotent: true }), 'hedge');
  assert.equal(signals.length, 2);
  assert.equal(seen.hedges, 1);
  assert.equal(signals[0]!.aborted, true);
  await sleep(10);
  assert.deepEqual(seen.attempts, ['ok', 'cancelled']);
});

test('does not hedge a call that is not idempotent', async () => {
  const { seen, observer } = recorder();
  const dependency = createDependency(NAME, settings({ hedge: { afterMs: 10, maxExtraPercent: 100 } }), observer);
  let starts = 0;
  const attempt = async () => {
    starts++;
    await sleep(60);
    return 'slow';
  };
  assert.equal(await dependency.call(attempt, deadlineIn(5_000)), 'slow');
  assert.equal(await dependency.call(attempt, deadlineIn(5_000), { idempotent: false }), 'slow');
  assert.equal(starts, 2);
  assert.equal(seen.hedges, 0);
});

test('hedges add at most maxExtraPercent of the calls', async () => {
  const { seen, observer } = recorder();
  const dependency = createDependency(NAME, settings({ hedge: { afterMs: 10, maxExtraPercent: 10 } }), observer);
  let starts = 0;
  const attempt = async (signal: AbortSignal) => {
    starts++;
    await sleep(80, undefined, { signal });
    return 'slow';
  };
  const results = await Promise.all(
    Array.from({ length: 20 }, () => dependency.call(attempt, deadlineIn(5_000), { idempotent: true })),
  );
  assert.ok(results.every((result) => result === 'slow'));
  assert.equal(seen.hedges, 2, '10% of 20 calls');
  assert.equal(starts, 22);
});

test('hedges after an observed percentile once 64 attempts have succeeded', async () => {
  const { seen, observer } = recorder();
  const dependency = createDependency(NAME, settings({ hedge: { afterMs: 'p50', maxExtraPercent: 100 } }), observer);
  const slowFirst = () => {
    let starts = 0;
    return async (signal: AbortSignal) => {
      starts++;
      if (starts === 1) await sleep(100, undefined, { signal });
      return starts;
    };
  };
  assert.equal(await dependency.call(slowFirst(), deadlineIn(5_000), { idempotent: true }), 1, 'no percentile yet');
  assert.equal(seen.hedges, 0);
  for (let i = 0; i < 64; i++) await dependency.call(() => Promise.resolve(0), deadlineIn(5_000));
  assert.equal(await dependency.call(slowFirst(), deadlineIn(5_000), { idempotent: true }), 2, 'the hedge won');
  assert.equal(seen.hedges, 1);
});

test('a hedge that loses is cancelled, not counted as a timeout or a fault', async () => {
  const { seen, observer } = recorder();
  const breaker = { failureRatio: 0.3, minimumRequests: 4, windowMs: 1_000, halfOpenAfterMs: 60_000 };
  const dependency = createDependency(
    NAME,
    settings({ breaker, hedge: { afterMs: 10, maxExtraPercent: 100 } }),
    observer,
  );
  for (let i = 0; i < 4; i++) {
    let starts = 0;
    const attempt = (signal: AbortSignal) => (++starts === 1 ? untilAborted(signal) : Promise.resolve('hedge'));
    assert.equal(await dependency.call(attempt, deadlineIn(5_000), { idempotent: true }), 'hedge');
  }
  await sleep(10);
  assert.equal(seen.hedges, 4);
  assert.deepEqual(seen.attempts, Array<string[]>(4).fill(['ok', 'cancelled']).flat());
  assert.equal(dependency.breakerState, 'closed', 'every call succeeded');
});

test('a probe cut short by the request deadline does not close the breaker', async () => {
  const breaker = { failureRatio: 0.5, minimumRequests: 2, windowMs: 1_000, halfOpenAfterMs: 50 };
  const dependency = createDependency(NAME, settings({ breaker }));
  const failing = scripted(status(503));
  for (let i = 0; i < 2; i++) await failureOf(dependency.call(failing.attempt, deadlineIn(1_000)));
  assert.equal(dependency.breakerState, 'open');
  await sleep(80);
  assert.equal((await failureOf(dependency.call(untilAborted, deadlineIn(20)))).failure, 'deadline');
  await sleep(10);
  assert.notEqual(dependency.breakerState, 'closed', 'the dependency never answered');
});

import {
  bulkhead,
  circuitBreaker,
  CircuitState,
  DelegateBackoff,
  handleWhen,
  type IRetryBackoffContext,
  isBrokenCircuitError,
  isBulkheadRejectedError,
  isTaskCancelledError,
  retry,
  SamplingBreaker,
} from 'cockatiel';
import { withAttemptTimeout } from './attempt-timeout.ts';
import { beforeDeadline, type Deadline } from './deadline.ts';
import { HEDGE_LOST, hedged } from './hedge.ts';
import { hedgeDelayMs } from './hedge-delay.ts';
import { LatencyTracker } from './latency-tracker.ts';
import { LoadBudget } from './load-budget.ts';
import { isUpstreamError, UpstreamError } from './upstream-error.ts';

/** Resilience settings of one dependency. Every one is bounded: attempts, time, concurrency, extra load. */
export type DependencySettings = {
  /** Per attempt; the request's deadline bounds it too. */
  timeoutMs: number;
  /** `maxAttempts` counts the first try; delays are exponential with full jitter. */
  retry: { maxAttempts: number; initialDelayMs: number; maxDelayMs: number };
  /** Opens when `failureRatio` of calls in `windowMs` fail (given `minimumRequests`); probes after `halfOpenAfterMs`. */
  breaker: { failureRatio: number; minimumRequests: number; windowMs: number; halfOpenAfterMs: number };
  bulkhead: { maxConcurrent: number; maxQueued: number };
  /** Retries may add at most `ratio` × calls of extra attempts (plus `minPerSecond`). */
  retryBudget: { ratio: number; minPerSecond: number };
  /**
   * Hedge idempotent calls slower than `afterMs`, or than an observed percentile such as p95 (but at least twice the
   * median and 10 ms), adding at most `maxExtraPercent` load.
   */
  hedge?: { afterMs: number | `p${50 | 75 | 90 | 95 | 99}`; maxExtraPercent: number };
};

/** What a dependency reports, for metrics and logs. */
export type DependencyObserver = {
  attempt?(outcome: string, seconds: number): void;
  retry?(): void;
  budgetExhausted?(): void;
  hedge?(): void;
  breakerState?(state: 'closed' | 'open' | 'half-open' | 'isolated'): void;
};

/** Time an attempt needs to be worth starting. */
const MIN_ATTEMPT_MS = 5;
const BREAKER_STATES = {
  [CircuitState.Closed]: 'closed',
  [CircuitState.Open]: 'open',
  [CircuitState.HalfOpen]: 'half-open',
  [CircuitState.Isolated]: 'isolated',
} as const;

/** A guarded dependency; see {@link createDependency}. */
export type Dependency = {
  readonly name: string;
  /**
   * Runs `attempt` under the dependency's policies and the request's deadline. `attempt` must throw
   * {@link UpstreamError}s for bad answers (and consume or cancel every response body), and stop when its signal
   * aborts: the call settles when its attempts do (the request itself is answered at its deadline whatever its calls
   * do; see routes/score.ts). Rejects with an `UpstreamError`: the last attempt's, or `circuit-open`,
   * `bulkhead-full` or `deadline`.
   */
  call<T>(
    attempt: (signal: AbortSignal) => Promise<T>,
    deadline: Deadline,
    options?: { idempotent?: boolean },
  ): Promise<T>;
  readonly breakerState: 'closed' | 'open' | 'half-open' | 'isolated';
  /**
   * Whether a call made now would be refused by the open circuit without reaching the dependency (open, and no
   * trial call due yet). Lets a caller skip the work that would lead up to the call.
   */
  refusesCalls(): boolean;
};

/**
 * Builds one dependency's policies once (shared by every request): per attempt a circuit breaker and a bulkhead
 * (cockatiel) and a timeout; around them retries of retryable failures with jittered exponential backoff, honouring
 * `Retry-After`, only while the deadline leaves room and the retry budget allows; and hedging for idempotent calls.
 */
export function createDependency(
  name: string,
  settings: DependencySettings,
  observer: DependencyObserver = {},
): Dependency {
  const budget = new LoadBudget({
    ratio: settings.retryBudget.ratio,
    minPerSecond: settings.retryBudget.minPerSecond,
    windowMs: 10_000,
  });
  const hedgeBudget = settings.hedge
    ? new LoadBudget({ ratio: settings.hedge.maxExtraPercent / 100, minPerSecond: 0, windowMs: 10_000 })
    : undefined;
  const hedgeAfter = settings.hedge?.afterMs;
  const latency = new LatencyTracker(typeof hedgeAfter === 'string' ? Number(hedgeAfter.slice(1)) / 100 : 0.95);

  const breaker = circuitBreaker(
    // A trial call (half-open) that the deadline cut short proved nothing: count it as a failure, or a hung
    // dependency would be let back in whenever its trial call happened to have little time left.
    handleWhen(
      (error) =>
        isUpstreamError(error) &&
        (error.isFault || (error.failure === 'deadline' && breaker.state === CircuitState.HalfOpen)),
    ),
    {
      halfOpenAfter: settings.breaker.halfOpenAfterMs,
      breaker: new SamplingBreaker({
        threshold: settings.breaker.failureRatio,
        duration: settings.breaker.windowMs,
        minimumRps: settings.breaker.minimumRequests / (settings.breaker.windowMs / 1000),
      }),
    },
  );
  // Cockatiel keeps when the circuit opened to itself; the same instant, on the same clock, is tracked here.
  let openedAt = 0;
  breaker.onStateChange((state) => {
    if (state === CircuitState.Open) openedAt = Date.now();
    observer.breakerState?.(BREAKER_STATES[state]);
  });
  const limiter = bulkhead(settings.bulkhead.maxConcurrent, settings.bulkhead.maxQueued);

  const maxRetries = settings.retry.maxAttempts - 1;
  const retries = retry(
    handleWhen((error) => {
      if (!(error instanceof RetryableAttemptError)) return false;
      if (!budget.tryTake()) {
        observer.budgetExhausted?.();
        return false;
      }
      return true;
    }),
    {
      maxAttempts: maxRetries,
      backoff: new DelegateBackoff((context: IRetryBackoffContext<unknown>) => {
        const failure = 'error' in context.result ? context.result.error : undefined;
        if (!(failure instanceof RetryableAttemptError)) return 0;
        const ceiling = Math.min(settings.retry.maxDelayMs, settings.retry.initialDelayMs * 2 ** (context.attempt - 1));
        // Full jitter, but never more than half the time left, and never less than the dependency asked for.
        const jittered = Math.min(Math.random() * ceiling, failure.roomMs / 2);
        return Math.max(jittered, failure.upstream.retryAfterMs ?? 0);
      }),
    },
  );
  retries.onRetry(() => observer.retry?.());

  /** One attempt through the breaker, the bulkhead and its timeout; `own` is the attempt's controller, if it has one. */
  const timedAttempt = <T>(
    attempt: (signal: AbortSignal) => Promise<T>,
    deadline: Deadline,
    signal: AbortSignal,
    own?: AbortController,
  ): Promise<T> => {
    const measured = async (attemptSignal: AbortSignal): Promise<T> => {
      const started = performance.now();
      try {
        const value = await attempt(attemptSignal);
        const elapsedMs = performance.now() - started;
        latency.record(elapsedMs);
        observer.attempt?.('ok', elapsedMs / 1000);
        return value;
      } catch (error) {
        // A hedge that lost was cancelled by its caller: that says nothing about the dependency's health.
        if (signal.reason === HEDGE_LOST) {
          observer.attempt?.('cancelled', (performance.now() - started) / 1000);
          throw error;
        }
        const classified = classify(name, error, deadline, attemptSignal);
        observer.attempt?.(classified.failure, (performance.now() - started) / 1000);
        throw classified;
      }
    };
    // Cooperative: the attempt sees the abort and cancels its own request and body; nothing is aborted once it
    // returns, as it has read its body by then. A timeout no shorter than the time left (the scorer's, as a rule)
    // could only fire after the deadline, which aborts the attempt anyway: then none is set.
    const bounded = (slotSignal: AbortSignal) =>
      settings.timeoutMs >= deadline.remainingMs()
        ? measured(slotSignal)
        : withAttemptTimeout(settings.timeoutMs, own ?? slotSignal, measured);
    // Failures of the breaker and the bulkhead themselves are classified by the caller, with the rest.
    return breaker.execute(
      ({ signal: breakerSignal }) =>
        whileQueued(
          limiter.executionSlots === 0,
          deadline,
          limiter.execute(({ signal: slotSignal }) => bounded(slotSignal), breakerSignal),
        ),
      signal,
    );
  };

  return {
    name,
    get breakerState() {
      return BREAKER_STATES[breaker.state];
    },
    refusesCalls() {
      return (
        breaker.state === CircuitState.Isolated ||
        (breaker.state === CircuitState.Open && Date.now() - openedAt < settings.breaker.halfOpenAfterMs)
      );
    },
    call(attempt, deadline, options = {}) {
      budget.recordCall();
      hedgeBudget?.recordCall();
      const hedge = options.idempotent ? settings.hedge : undefined;
      return retries
        .execute(async ({ attempt: retryIndex, signal }) => {
          const run = (s: AbortSignal, own?: AbortController) => timedAttempt(attempt, deadline, s, own);
          const afterMs = hedge === undefined ? undefined : hedgeDelayMs(hedge.afterMs, latency);
          try {
            return afterMs === undefined || hedgeBudget === undefined
              ? await run(signal)
              : await hedged(
                  run,
                  { afterMs, mayHedge: () => hedgeBudget.tryTake(), onHedge: () => observer.hedge?.() },
                  signal,
                );
          } catch (error) {
            const upstream = classify(name, error, deadline, signal);
            const roomMs = deadline.remainingMs() - (upstream.retryAfterMs ?? 0);
            if (upstream.retryable && retryIndex < maxRetries && roomMs > MIN_ATTEMPT_MS) {
              throw new RetryableAttemptError(upstream, roomMs - MIN_ATTEMPT_MS);
            }
            throw upstream;
          }
        }, deadline.signal)
        .catch((error: unknown) => {
          throw error instanceof RetryableAttemptError
            ? error.upstream
            : classify(name, error, deadline, deadline.signal);
        });
    },
  };
}

/**
 * cockatiel's bulkhead looks at a queued call's signal only once a slot frees, so a call that has to queue races its
 * deadline; one that runs at once (nearly every call) is left alone, which saves a promise and a listener.
 */
function whileQueued<T>(queued: boolean, deadline: Deadline, admitted: Promise<T>): Promise<T> {
  return queued ? beforeDeadline(admitted, deadline, () => deadline.signal.reason as Error) : admitted;
}

/** Marks a failure the retry policy may retry; unwrapped before it leaves `call`. */
class RetryableAttemptError extends Error {
  readonly upstream: UpstreamError;
  /** Time left for a backoff delay and one more attempt. */
  readonly roomMs: number;
  constructor(upstream: UpstreamError, roomMs: number) {
    super(upstream.message, { cause: upstream });
    this.upstream = upstream;
    this.roomMs = roomMs;
  }
}

function classify(name: string, error: unknown, deadline: Deadline, signal: AbortSignal): UpstreamError {
  if (isUpstreamError(error)) return error;
  if (error instanceof RetryableAttemptError) return error.upstream;
  if (deadline.signal.aborted || deadline.remainingMs() <= 0) {
    return new UpstreamError(name, 'deadline', 'the request deadline passed', { cause: error });
  }
  if (isBrokenCircuitError(error)) return new UpstreamError(name, 'circuit-open', 'circuit open', { cause: error });
  if (isBulkheadRejectedError(error)) {
    return new UpstreamError(name, 'bulkhead-full', 'too many calls in flight', { cause: error });
  }
  if (isTaskCancelledError(error) || signal.aborted) {
    return new UpstreamError(name, 'timeout', 'timed out', { cause: error });
  }
  const code = (error as { code?: string }).code;
  if (
    error instanceof SyntaxError ||
    code === 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH' ||
    code === 'UND_ERR_RES_EXCEEDED_MAX_SIZE'
  ) {
    return new UpstreamError(name, 'invalid-body', (error as Error).message, { cause: error });
  }
  if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT') {
    return new UpstreamError(name, 'timeout', (error as Error).message, { cause: error });
  }
  return new UpstreamError(name, 'connect', (error as Error)?.message ?? String(error), { cause: error });
}

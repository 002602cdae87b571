/**
 * One request's deadline: an absolute time on the `performance.now()` clock and a signal that aborts at it. Every
 * outbound call of the request takes this signal and sends `remainingMs()` downstream.
 */
export type Deadline = {
  readonly at: number;
  readonly signal: AbortSignal;
  remainingMs(): number;
};

/** A deadline its owner (the request) can release once nothing it started can still be running. */
export type RequestDeadline = Deadline & {
  /** Clears the timer; the signal then never aborts. Only when no call made under the deadline is in flight. */
  release(): void;
};

/** Node's longest timer; a longer delay fires after 1 ms. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * The reason every deadline aborts with. Built once: AbortSignal.timeout() builds a DOMException, stack trace
 * included, for each signal that fires, and every request's deadline fired, long after its answer.
 */
export const DEADLINE_PASSED = new DOMException('the request deadline passed', 'TimeoutError');

/** A deadline `ms` from now. */
export function deadlineIn(ms: number): RequestDeadline {
  const at = performance.now() + ms;
  const controller = new AbortController();
  // Rounded up so that it never fires before `at`. Unreferenced, like AbortSignal.timeout(): a pending deadline
  // must not keep the process alive.
  const timer = setTimeout(
    () => controller.abort(DEADLINE_PASSED),
    Math.min(MAX_TIMER_MS, Math.max(0, Math.ceil(ms))),
  ).unref();
  return {
    at,
    signal: controller.signal,
    remainingMs: () => Math.max(0, at - performance.now()),
    release: () => clearTimeout(timer),
  };
}

/**
 * Settles as `work` does, or rejects with `expired()` the moment `deadline` passes first (at once if it already has).
 * The work's own calls abort with the deadline's signal; this only stops waiting for them.
 */
export function beforeDeadline<T>(work: Promise<T>, deadline: Deadline, expired: () => Error): Promise<T> {
  return new Promise((resolve, reject) => {
    const expire = () => reject(expired());
    // Still wired to `work` when already expired, so that its later rejection is handled.
    if (deadline.signal.aborted) expire();
    else deadline.signal.addEventListener('abort', expire, { once: true });
    // Not .then(resolve, reject).finally(...): two promises fewer on every call.
    const done = () => deadline.signal.removeEventListener('abort', expire);
    work.then(
      (value) => {
        done();
        resolve(value);
      },
      (error: Error) => {
        done();
        reject(error);
      },
    );
  });
}

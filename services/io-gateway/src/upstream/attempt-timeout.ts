/**
 * Why an attempt that ran out of its own time is aborted. Built once: an abort without a reason builds a
 * DOMException, stack trace included, every time.
 */
export const ATTEMPT_TIMED_OUT = new DOMException("the attempt's own timeout passed", 'TimeoutError');

/**
 * Runs `attempt` with a signal that aborts when `signal` does (with its reason) or after `timeoutMs` (with
 * {@link ATTEMPT_TIMED_OUT}), whichever comes first. Cooperative: it settles as `attempt` does, which must honour the
 * signal. One controller, one listener and one timer, all released when the attempt settles (cockatiel's timeout
 * policy, which this replaces, used three listeners and two one-shot events per attempt).
 */
export async function withAttemptTimeout<T>(
  timeoutMs: number,
  signal: AbortSignal,
  attempt: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const controller = new AbortController();
  const follow = () => controller.abort(signal.reason);
  if (signal.aborted) follow();
  else signal.addEventListener('abort', follow, { once: true });
  const timer = setTimeout(() => controller.abort(ATTEMPT_TIMED_OUT), timeoutMs);
  try {
    return await attempt(controller.signal);
  } finally {
    clearTimeout(timer);
    signal.removeEventListener('abort', follow);
  }
}

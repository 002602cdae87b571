/**
 * Why an attempt that ran out of its own time is aborted. Built once: an abort without a reason builds a
 * DOMException, stack trace included, every time.
 */
export const ATTEMPT_TIMED_OUT = new DOMException("the attempt's own timeout passed", 'TimeoutError');

/**
 * Runs `attempt` with a signal that aborts when its scope does (with the scope's reason) or after `timeoutMs` (with
 * {@link ATTEMPT_TIMED_OUT}), whichever comes first. The scope is either a signal to follow, for which one controller,
 * one listener and one timer are made, all released when the attempt settles (cockatiel's timeout policy, which this
 * replaces, used three listeners and two one-shot events per attempt); or the attempt's own controller (a hedge makes
 * one per attempt), which the timer then aborts directly: one timer and nothing else. Cooperative: it settles as
 * `attempt` does, which must honour the signal.
 */
export async function withAttemptTimeout<T>(
  timeoutMs: number,
  scope: AbortSignal | AbortController,
  attempt: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const own = scope instanceof AbortController;
  const controller = own ? scope : new AbortController();
  const follow = own ? undefined : () => controller.abort(scope.reason);
  if (follow !== undefined) {
    if ((scope as AbortSignal).aborted) follow();
    else (scope as AbortSignal).addEventListener('abort', follow, { once: true });
  }
  const timer = setTimeout(() => controller.abort(ATTEMPT_TIMED_OUT), timeoutMs);
  try {
    return await attempt(controller.signal);
  } finally {
    clearTimeout(timer);
    if (follow !== undefined) (scope as AbortSignal).removeEventListener('abort', follow);
  }
}

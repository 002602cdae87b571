/**
 * Why a hedge's losing attempt is aborted. Built once: an abort without a reason builds a DOMException, stack trace
 * included, on every call.
 */
export const HEDGE_LOST = new DOMException('another attempt of the hedge answered first', 'AbortError');

/**
 * Runs `attempt`, and if it has not answered after `afterMs` (and `mayHedge()` agrees), runs it a second time in
 * parallel; the first success wins and the attempt still running is aborted with {@link HEDGE_LOST} ("The Tail at
 * Scale"). Only for idempotent calls. Rejects with the last failure when every started attempt failed. Each attempt
 * gets its controller too, so that its own timeout can abort it without a controller of its own.
 */
export function hedged<T>(
  attempt: (signal: AbortSignal, controller: AbortController) => Promise<T>,
  options: { afterMs: number; mayHedge: () => boolean; onHedge?: () => void },
  signal: AbortSignal,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    // The controllers of attempts still running: a finished attempt has nothing left to cancel.
    const running = new Set<AbortController>();
    let settled = false;
    let timer: NodeJS.Timeout | undefined;

    // Each attempt has its own controller, which follows the caller's signal through one listener removed when the
    // race is settled. Not AbortSignal.any(): on Node 24 each call leaves FinalizationRegistry entries behind that
    // piled up without bound in the chaos suite's soak (about 75 bytes per call).
    const followCaller = () => {
      for (const controller of running) controller.abort(signal.reason);
    };
    signal.addEventListener('abort', followCaller, { once: true });
    const finish = (settle: () => void) => {
      settled = true;
      clearTimeout(timer);
      signal.removeEventListener('abort', followCaller);
      for (const controller of running) controller.abort(HEDGE_LOST);
      settle();
    };
    const launch = () => {
      const controller = new AbortController();
      if (signal.aborted) controller.abort(signal.reason);
      running.add(controller);
      attempt(controller.signal, controller).then(
        (value) => {
          running.delete(controller);
          if (!settled) finish(() => resolve(value));
        },
        (error: Error) => {
          running.delete(controller);
          // With nothing left in flight, fail now rather than wait for a hedge: the retry policy decides what next.
          if (!settled && running.size === 0) finish(() => reject(error));
        },
      );
    };

    launch();
    timer = setTimeout(() => {
      timer = undefined;
      if (settled || signal.aborted || !options.mayHedge()) return;
      options.onHedge?.();
      launch();
    }, options.afterMs);
  });
}

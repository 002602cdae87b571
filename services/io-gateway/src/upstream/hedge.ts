/**
 * Runs `attempt`, and if it has not answered after `afterMs` (and `mayHedge()` agrees), runs it a second time in
 * parallel; the first success wins and the other is aborted ("The Tail at Scale"). Only for idempotent calls.
 * Rejects with the last failure when every started attempt failed.
 */
export function hedged<T>(
  attempt: (signal: AbortSignal) => Promise<T>,
  options: { afterMs: number; mayHedge: () => boolean; onHedge?: () => void },
  signal: AbortSignal,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const controllers: AbortController[] = [];
    let pending = 0;
    let settled = false;
    let timer: NodeJS.Timeout | undefined;

    const finish = (settle: () => void) => {
      settled = true;
      clearTimeout(timer);
      for (const controller of controllers) controller.abort();
      settle();
    };
    const launch = () => {
      const controller = new AbortController();
      controllers.push(controller);
      pending++;
      attempt(AbortSignal.any([signal, controller.signal])).then(
        (value) => {
          if (!settled) finish(() => resolve(value));
        },
        (error: Error) => {
          pending--;
          // With nothing left in flight, fail now rather than wait for a hedge: the retry policy decides what next.
          if (!settled && pending === 0) finish(() => reject(error));
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

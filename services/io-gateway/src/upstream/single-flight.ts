type Flight<T> = { promise: Promise<T>; controller: AbortController; waiters: number; forget: () => void };

/**
 * Shares one call among concurrent callers asking for the same key (e.g. the same source for the same entity).
 * Each caller stops waiting when its own signal aborts; the shared call is aborted only when every caller has gone.
 */
export class SingleFlight<T> {
  readonly #flights = new Map<string, Flight<T>>();
  readonly #onJoin: (() => void) | undefined;

  constructor(options: { onJoin?: () => void } = {}) {
    this.#onJoin = options.onJoin;
  }

  run(key: string, signal: AbortSignal, call: (signal: AbortSignal) => Promise<T>): Promise<T> {
    // A caller that has already gone must neither start a call that nobody would abort nor join one.
    if (signal.aborted) return Promise.reject(signal.reason as Error);
    let flight = this.#flights.get(key);
    if (flight === undefined) {
      const controller = new AbortController();
      const forget = () => {
        if (this.#flights.get(key) === created) this.#flights.delete(key);
      };
      const created: Flight<T> = { promise: start(call, controller.signal), controller, waiters: 0, forget };
      this.#flights.set(key, created);
      created.promise.then(forget, forget);
      flight = created;
    } else {
      this.#onJoin?.();
    }
    return this.#wait(flight, signal);
  }

  #wait(flight: Flight<T>, signal: AbortSignal): Promise<T> {
    flight.waiters++;
    return new Promise<T>((resolve, reject) => {
      let waiting = true;
      const leave = () => {
        if (!waiting) return false;
        waiting = false;
        signal.removeEventListener('abort', onAbort);
        flight.waiters--;
        return true;
      };
      const onAbort = () => {
        if (!leave()) return;
        if (flight.waiters === 0) {
          // Until the aborted call settles, a new caller would join it and fail: start afresh instead.
          flight.forget();
          flight.controller.abort(signal.reason);
        }
        reject(signal.reason as Error);
      };
      signal.addEventListener('abort', onAbort, { once: true });
      flight.promise.then(
        (value) => {
          if (leave()) resolve(value);
        },
        (error: Error) => {
          if (leave()) reject(error);
        },
      );
    });
  }
}

/** Runs `call`, turning a synchronous throw into a rejection so that every waiter sees it. */
async function start<T>(call: (signal: AbortSignal) => Promise<T>, signal: AbortSignal): Promise<T> {
  return call(signal);
}

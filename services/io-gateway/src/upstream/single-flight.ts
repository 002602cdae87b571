type Flight<T> = { promise: Promise<T>; controller: AbortController; waiters: number };

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
    let flight = this.#flights.get(key);
    if (flight === undefined) {
      const controller = new AbortController();
      const created: Flight<T> = { promise: call(controller.signal), controller, waiters: 0 };
      this.#flights.set(key, created);
      const forget = () => {
        if (this.#flights.get(key) === created) this.#flights.delete(key);
      };
      created.promise.then(forget, forget);
      flight = created;
    } else {
      this.#onJoin?.();
    }
    return this.#wait(flight, signal);
  }

  #wait(flight: Flight<T>, signal: AbortSignal): Promise<T> {
    if (signal.aborted) return Promise.reject(signal.reason as Error);
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
        if (flight.waiters === 0) flight.controller.abort(signal.reason);
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

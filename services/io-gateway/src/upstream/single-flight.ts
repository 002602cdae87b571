import type { Deadline } from './deadline.ts';

type Flight<T> = { promise: Promise<T>; deadline: Deadline };

/** A caller joins a flight whose deadline leaves it at least this share of its own time. */
const JOIN_SHARE = 0.9;

/**
 * Shares one call among concurrent callers asking for the same key (e.g. the same source for the same entity). The
 * call runs under the deadline of the caller that started it, and a caller joins it only when that deadline leaves
 * the caller most of its own time (`JOIN_SHARE`): requests that arrive together share a call, and one with much more
 * time is not cut short by another's deadline, but starts a call of its own, which later callers join. A caller gone
 * early (its request answered at its deadline) simply stops listening: nothing per caller to undo.
 */
export class SingleFlight<T> {
  readonly #flights = new Map<string, Flight<T>>();
  readonly #onJoin: (() => void) | undefined;

  constructor(options: { onJoin?: () => void } = {}) {
    this.#onJoin = options.onJoin;
  }

  run(key: string, deadline: Deadline, call: (deadline: Deadline) => Promise<T>): Promise<T> {
    // A caller that has already gone must not start a call that nobody would wait for.
    if (deadline.signal.aborted) return Promise.reject(deadline.signal.reason as Error);
    const joined = this.#flights.get(key);
    if (joined !== undefined && joined.deadline.remainingMs() >= JOIN_SHARE * deadline.remainingMs()) {
      this.#onJoin?.();
      return joined.promise;
    }
    // In the map before the call starts, so that even a call that throws at once is forgotten when it settles.
    const flight = { deadline } as Flight<T>;
    this.#flights.set(key, flight);
    flight.promise = this.#fly(key, flight, call);
    return flight.promise;
  }

  async #fly(key: string, flight: Flight<T>, call: (deadline: Deadline) => Promise<T>): Promise<T> {
    try {
      return await call(flight.deadline);
    } finally {
      // Only this flight: a caller with more time may have replaced it while it ran.
      if (this.#flights.get(key) === flight) this.#flights.delete(key);
    }
  }
}

/**
 * Calls `onExpired` for each tracked item once `performance.now()` passes its `deadlineAt`, with one timer for all
 * of them: armed at the earliest deadline and left armed while items come and go. A timer per request cost a
 * `setTimeout` and a `clearTimeout` on every request, and with fractional delays Node built and dropped a timer list
 * for each; here a request whose deadline is not the earliest (the usual case: one default timeout) touches no timer.
 * An item is never expired early: a timer that fires before the earliest deadline is armed again.
 */
export class DeadlineTimer<Item extends { readonly deadlineAt: number }> {
  readonly #onExpired: (item: Item) => void;
  readonly #items = new Set<Item>();
  #timer: NodeJS.Timeout | undefined;
  #armedAt = Infinity;

  constructor(onExpired: (item: Item) => void) {
    this.#onExpired = onExpired;
  }

  /** Starts watching `item`. */
  add(item: Item): void {
    this.#items.add(item);
    // Only pending items keep the process alive, as a timer per item did.
    if (this.#items.size === 1) this.#timer?.ref();
    if (item.deadlineAt < this.#armedAt) this.#arm(item.deadlineAt);
  }

  /** Stops watching `item` (it was settled some other way). The timer stays armed for the next ones. */
  delete(item: Item): void {
    if (this.#items.delete(item) && this.#items.size === 0) this.#timer?.unref();
  }

  #arm(at: number): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#armedAt = at;
    this.#timer = setTimeout(() => this.#fire(), Math.max(0, at - performance.now()));
  }

  #fire(): void {
    this.#timer = undefined;
    this.#armedAt = Infinity;
    const now = performance.now();
    let next = Infinity;
    for (const item of this.#items) {
      if (item.deadlineAt <= now) {
        this.#items.delete(item);
        this.#onExpired(item);
      } else if (item.deadlineAt < next) {
        next = item.deadlineAt;
      }
    }
    // Settling may have added items (and armed the timer for them).
    if (next < this.#armedAt) this.#arm(next);
  }
}

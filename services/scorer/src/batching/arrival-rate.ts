/**
 * How fast rows arrive, in rows per millisecond: an exponentially weighted mean of the gap per row between
 * arrivals. A gap is capped, so that the first request after an idle spell reads as low load without taking long
 * to forget.
 */
export class ArrivalRate {
  readonly #weight: number;
  readonly #maxGapMs: number;
  #lastAt: number | undefined;
  #gapPerRowMs: number;

  /** `weight` is the share of each new gap in the mean (0.1: about the last ten arrivals). */
  constructor(options: { weight?: number; maxGapMs?: number } = {}) {
    this.#weight = options.weight ?? 0.1;
    this.#maxGapMs = options.maxGapMs ?? 1_000;
    this.#gapPerRowMs = this.#maxGapMs;
  }

  /** A request of `rows` arrived at `now` (milliseconds, a monotonic clock). */
  arrived(rows: number, now: number): void {
    if (this.#lastAt !== undefined) {
      const gapMs = Math.min(this.#maxGapMs, Math.max(0, now - this.#lastAt));
      this.#gapPerRowMs += this.#weight * (gapMs / Math.max(1, rows) - this.#gapPerRowMs);
    }
    this.#lastAt = now;
  }

  /** Rows per millisecond. */
  get rowsPerMs(): number {
    return 1 / Math.max(this.#gapPerRowMs, 1e-6);
  }
}

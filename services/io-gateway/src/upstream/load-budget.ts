const BUCKETS = 10;

/**
 * Caps extra load (retries, hedges) at a share of recent calls, as Finagle's and Envoy's retry budgets do: extra
 * attempts may not exceed `ratio` × calls in the last `windowMs`, plus a small floor so that a quiet dependency can
 * still be retried. During an outage this keeps attempts per call near 1 + ratio instead of multiplying load.
 */
export class LoadBudget {
  readonly #ratio: number;
  readonly #floor: number;
  readonly #bucketMs: number;
  readonly #calls = new Float64Array(BUCKETS);
  readonly #extra = new Float64Array(BUCKETS);
  #bucket = 0;
  #bucketStart = 0;

  constructor(options: { ratio: number; minPerSecond: number; windowMs: number }) {
    if (!(options.ratio >= 0) || !(options.minPerSecond >= 0) || !(options.windowMs > 0)) {
      throw new RangeError('ratio and minPerSecond must be >= 0 and windowMs > 0');
    }
    this.#ratio = options.ratio;
    this.#floor = (options.minPerSecond * options.windowMs) / 1000;
    this.#bucketMs = options.windowMs / BUCKETS;
  }

  /** Counts one call (each call earns `ratio` extra attempts). */
  recordCall(now = performance.now()): void {
    this.#rotate(now);
    this.#calls[this.#bucket]!++;
  }

  /** Takes one extra attempt from the budget; false (and nothing taken) when it is spent. */
  tryTake(now = performance.now()): boolean {
    this.#rotate(now);
    let calls = 0;
    let extra = 0;
    for (let i = 0; i < BUCKETS; i++) {
      calls += this.#calls[i]!;
      extra += this.#extra[i]!;
    }
    if (extra + 1 > this.#ratio * calls + this.#floor) return false;
    this.#extra[this.#bucket]!++;
    return true;
  }

  #rotate(now: number): void {
    const elapsed = Math.floor((now - this.#bucketStart) / this.#bucketMs);
    if (elapsed <= 0) return;
    for (let i = 1; i <= Math.min(elapsed, BUCKETS); i++) {
      const index = (this.#bucket + i) % BUCKETS;
      this.#calls[index] = 0;
      this.#extra[index] = 0;
    }
    this.#bucket = (this.#bucket + elapsed) % BUCKETS;
    this.#bucketStart += elapsed * this.#bucketMs;
  }
}

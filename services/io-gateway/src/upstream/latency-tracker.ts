const SIZE = 512;
const REFRESH_EVERY = 64;

/**
 * A recent latency quantile and the median (over the last 512 successful calls), refreshed every 64 samples so that
 * reading them on the hot path costs nothing. Undefined until enough samples exist.
 */
export class LatencyTracker {
  readonly #samples = new Float64Array(SIZE);
  readonly #q: number;
  #count = 0;
  #sinceRefresh = 0;
  #value: number | undefined;
  #median: number | undefined;

  constructor(quantile: number) {
    this.#q = quantile;
  }

  record(ms: number): void {
    this.#samples[this.#count % SIZE] = ms;
    this.#count++;
    if (++this.#sinceRefresh >= REFRESH_EVERY) {
      this.#sinceRefresh = 0;
      const filled = this.#samples.slice(0, Math.min(this.#count, SIZE)).sort();
      this.#value = filled[Math.min(filled.length - 1, Math.floor(this.#q * filled.length))];
      this.#median = filled[Math.floor(0.5 * filled.length)];
    }
  }

  get value(): number | undefined {
    return this.#value;
  }

  get median(): number | undefined {
    return this.#median;
  }
}

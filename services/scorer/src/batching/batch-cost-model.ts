/**
 * What one run of a model costs, learned as it serves: `runMs(rows) ≈ fixedMs + perRowMs × rows`, fitted by least
 * squares over recent runs. The fixed part (weights read once per run, the hop to the worker and back) is what
 * batching saves; the scheduler holds a batch open only while waiting is cheaper than paying it again.
 */
export class BatchCostModel {
  // Weighted sums of the observations: weight, rows, ms, rows², rows × ms.
  #w = 0;
  #n = 0;
  #t = 0;
  #nn = 0;
  #nt = 0;
  readonly #decay: number;
  readonly #prior: { rows: number; ms: number }[] = [];

  /** `decay` is how much an old run counts after each new one (0.95 keeps about the last 20 runs in view). */
  constructor(options: { decay?: number } = {}) {
    this.#decay = options.decay ?? 0.95;
  }

  /**
   * Runs measured before serving (warm-up at 1 row and at the largest batch). They weigh as one run each and never
   * fade, so the slope stays known while traffic only ever brings runs of one size.
   */
  seed(runs: readonly { rows: number; ms: number }[]): void {
    for (const run of runs) if (isValid(run.rows, run.ms)) this.#prior.push(run);
  }

  /** One finished run: its rows and how long the worker was taken by it, in milliseconds. */
  observe(rows: number, ms: number): void {
    if (!isValid(rows, ms)) return;
    const d = this.#decay;
    this.#w = this.#w * d + 1;
    this.#n = this.#n * d + rows;
    this.#t = this.#t * d + ms;
    this.#nn = this.#nn * d + rows * rows;
    this.#nt = this.#nt * d + rows * ms;
  }

  /** The cost of a run beyond its rows, in milliseconds; 0 while nothing has been measured. */
  get fixedMs(): number {
    return this.#fit().fixedMs;
  }

  /** The cost of each row of a run, in milliseconds. */
  get perRowMs(): number {
    return this.#fit().perRowMs;
  }

  /** Expected milliseconds of a run of `rows`. */
  runMs(rows: number): number {
    const { fixedMs, perRowMs } = this.#fit();
    return fixedMs + perRowMs * rows;
  }

  #fit(): { fixedMs: number; perRowMs: number } {
    let w = this.#w;
    let n = this.#n;
    let t = this.#t;
    let nn = this.#nn;
    let nt = this.#nt;
    for (const run of this.#prior) {
      w += 1;
      n += run.rows;
      t += run.ms;
      nn += run.rows * run.rows;
      nt += run.rows * run.ms;
    }
    if (w === 0) return { fixedMs: 0, perRowMs: 0 };
    const meanRows = n / w;
    const meanMs = t / w;
    const variance = nn / w - meanRows * meanRows;
    // Every run the same size: the split between fixed and per-row cost is unknown, so call it all fixed (the
    // larger guess holds batches open a little longer, never shorter than they are worth).
    if (variance < 1e-9) return { fixedMs: meanMs, perRowMs: 0 };
    const slope = Math.max(0, (nt / w - meanRows * meanMs) / variance);
    const fixedMs = Math.max(0, meanMs - slope * meanRows);
    return { fixedMs, perRowMs: slope };
  }
}

function isValid(rows: number, ms: number): boolean {
  return Number.isFinite(rows) && rows > 0 && Number.isFinite(ms) && ms >= 0;
}

/** Order statistics of a set of timings, all in the unit of the samples. */
export type Summary = { count: number; mean: number; p50: number; p99: number; max: number };

/**
 * Summarises samples with nearest-rank percentiles (no interpolation, so p99 is a latency that really happened).
 * An empty set gives NaN figures rather than throwing, so a failed window shows up in the report instead of
 * aborting the run.
 */
export function summarize(samples: readonly number[]): Summary {
  if (samples.length === 0) return { count: 0, mean: Number.NaN, p50: Number.NaN, p99: Number.NaN, max: Number.NaN };
  const sorted = Float64Array.from(samples).sort();
  let total = 0;
  for (const value of sorted) total += value;
  return {
    count: sorted.length,
    mean: total / sorted.length,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    max: sorted[sorted.length - 1]!,
  };
}

/** Nearest-rank percentile of already sorted samples. */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

/** Median of per-round figures; NaN rounds (failed windows) are ignored unless every round failed. */
export function median(values: readonly number[]): number {
  const finite = values.filter((value) => Number.isFinite(value)).sort((a, b) => a - b);
  if (finite.length === 0) return Number.NaN;
  const middle = finite.length >> 1;
  return finite.length % 2 === 1 ? finite[middle]! : (finite[middle - 1]! + finite[middle]!) / 2;
}

// How figures are written in checks and in BENCHMARKS.md, so one number reads the same everywhere.

/** Milliseconds: three decimals below 1 ms, two above. */
export function formatMs(value: number): string {
  if (!Number.isFinite(value)) return 'n/a';
  return `${value.toFixed(value < 1 ? 3 : 2)} ms`;
}

/** Microseconds with one decimal. */
export function formatUs(value: number): string {
  return Number.isFinite(value) ? `${value.toFixed(1)} µs` : 'n/a';
}

/** A rate as a whole number with thousands separators (e.g. rows/s). */
export function formatCount(value: number): string {
  return Number.isFinite(value) ? Math.round(value).toLocaleString('en-US') : 'n/a';
}

/** A multiple, e.g. `3.42×`. */
export function formatRatio(value: number): string {
  return Number.isFinite(value) ? `${value.toFixed(2)}×` : 'n/a';
}

/** Mebibytes with one decimal. */
export function formatMiB(value: number): string {
  return Number.isFinite(value) ? `${value.toFixed(1)} MiB` : 'n/a';
}

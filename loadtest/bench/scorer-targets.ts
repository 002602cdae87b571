import { formatCount, formatMs, formatRatio, formatUs } from './figure-format.ts';
import type { ScorerResults } from './scorer-results.ts';

/** One of the targets, held against a run's figures. `holds` is undefined when it was not checked. */
export type TargetCheck = { target: string; measured: string; holds: boolean | undefined };

const LATENCY_FACTOR = 1.1;
const LATENCY_ALLOWANCE_MS = 0.1;
const CPU_OVERHEAD_LIMIT_US = 20;
const LIVENESS_P99_LIMIT_MS = 5;
/** Throughput multiple of raw batch-1 rows/s each model must reach with concurrent single-row clients. */
const THROUGHPUT_FACTORS: Record<string, number> = { interests: 3, 'interests-3ms': 3.5 };

/** Scorer CPU per single-row request beyond the HTTP floor and raw onnxruntime, in µs (JSON requests). */
export function cpuOverheadUs(results: Pick<ScorerResults, 'sequential'>, model: string): number {
  const entry = results.sequential.models.find((candidate) => candidate.model === model);
  const scorer = entry?.scorer.json?.cpuPerRequestUs.totalUs ?? Number.NaN;
  return scorer - results.sequential.floor.cpuPerRequestUs.totalUs - (entry?.raw.cpuPerRunUs ?? Number.NaN);
}

/**
 * Holds the figures against the targets of the issue. With `check` false (quick mode) every target is listed
 * with its figure but `holds` stays undefined.
 */
export function checkScorerTargets(results: Omit<ScorerResults, 'targets'>, check: boolean): TargetCheck[] {
  const checks: TargetCheck[] = [];
  const add = (target: string, measured: string, holds: boolean | undefined) =>
    checks.push({ target, measured, holds: check ? holds : undefined });

  for (const entry of results.sequential.models) {
    const scorer = entry.scorer.json;
    if (scorer === undefined) continue;
    for (const quantile of ['p50Ms', 'p99Ms'] as const) {
      const limit = LATENCY_FACTOR * entry.raw[quantile] + LATENCY_ALLOWANCE_MS;
      const label = quantile === 'p50Ms' ? 'p50' : 'p99';
      add(
        `${entry.model} single-row ${label} ≤ 1.1 × raw + 0.1 ms`,
        `${formatMs(scorer[quantile])} vs limit ${formatMs(limit)} (raw ${formatMs(entry.raw[quantile])}, ` +
          `${formatRatio(scorer[quantile] / entry.raw[quantile])} raw)`,
        atMost(scorer[quantile], limit),
      );
    }
    const overheadUs = cpuOverheadUs(results, entry.model);
    add(
      `${entry.model} CPU per request ≤ HTTP floor + raw + ${CPU_OVERHEAD_LIMIT_US} µs`,
      `${formatUs(overheadUs)} over (scorer ${formatUs(scorer.cpuPerRequestUs.totalUs)}, ` +
        `floor ${formatUs(results.sequential.floor.cpuPerRequestUs.totalUs)}, raw ${formatUs(entry.raw.cpuPerRunUs)})`,
      atMost(overheadUs, CPU_OVERHEAD_LIMIT_US),
    );
  }

  for (const entry of results.throughput.models) {
    const factor = THROUGHPUT_FACTORS[entry.model];
    if (factor === undefined) continue;
    for (const run of entry.scorer.filter((candidate) => candidate.variant === 'default')) {
      const ratio = run.rowsPerSecond / entry.raw.batch1RowsPerSecond;
      add(
        `${entry.model} rows/s with ${run.connections} clients ≥ ${factor} × raw batch 1`,
        `${formatRatio(ratio)} (${formatCount(run.rowsPerSecond)} vs ${formatCount(entry.raw.batch1RowsPerSecond)} rows/s)`,
        atMost(factor, ratio),
      );
    }
  }

  const liveness = results.liveness.variants.find((variant) => variant.variant === 'default');
  if (liveness !== undefined) {
    add(
      `/v2/health/live p99 ≤ ${LIVENESS_P99_LIMIT_MS} ms with ${results.liveness.connections} clients on ${results.liveness.model}`,
      `${formatMs(liveness.saturated.p99Ms)} (p50 ${formatMs(liveness.saturated.p50Ms)})`,
      atMost(liveness.saturated.p99Ms, LIVENESS_P99_LIMIT_MS),
    );
  }
  return checks;
}

/** `value ≤ limit`, or undefined when either is not a number (a failed measurement proves nothing). */
function atMost(value: number, limit: number): boolean | undefined {
  return Number.isFinite(value) && Number.isFinite(limit) ? value <= limit : undefined;
}

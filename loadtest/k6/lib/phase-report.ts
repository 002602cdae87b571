import type { Limits, PlanPhase } from './load-plan.ts';
import { BUILTIN, METRIC } from './metric-names.ts';
import type { SummaryView } from './summary-data.ts';
import { selector } from './thresholds.ts';

/** One reported phase (a stress plateau, the spike's baseline/spike/recovery, a soak quarter). */
export type PhaseRow = Readonly<{
  phase: string;
  targetRate: number | undefined;
  achievedRate: number | undefined;
  requests: number | undefined;
  p95Ms: number | undefined;
  p99Ms: number | undefined;
  shedRate: number | undefined;
  errorRate: number | undefined;
}>;

/** Rows from the per-phase sub-metrics that reportThresholds keeps; values k6 did not report stay undefined. */
export function phaseRows(
  view: SummaryView,
  route: string,
  phases: readonly PlanPhase[],
  reported: readonly string[],
): PhaseRow[] {
  return reported.map((name) => {
    const phase = phases.find((candidate) => candidate.name === name);
    const tags = [`route:${route}`, `phase:${name}`] as const;
    const requests = view.metrics.get(selector(BUILTIN.requests, ...tags))?.values['count'];
    const latency = view.metrics.get(selector(BUILTIN.duration, ...tags, 'expected_response:true'))?.values;
    const seconds = phase === undefined ? 0 : phase.endS - phase.startS;
    return {
      phase: name,
      targetRate: phase?.targetRate,
      achievedRate: requests !== undefined && seconds > 0 ? requests / seconds : undefined,
      requests,
      p95Ms: latency?.['p(95)'],
      p99Ms: latency?.['p(99)'],
      shedRate: view.metrics.get(selector(METRIC.shed, ...tags))?.values['rate'],
      errorRate: view.metrics.get(selector(METRIC.errors, ...tags))?.values['rate'],
    };
  });
}

/** Why a row is outside the SLO, or undefined when it is within. */
export function sloBreach(row: PhaseRow, limits: Limits, maxFailureRate: number): string | undefined {
  if (row.requests === undefined || row.requests === 0) return 'no requests';
  if (row.targetRate !== undefined && (row.achievedRate ?? 0) < 0.95 * row.targetRate) {
    return `achieved ${(row.achievedRate ?? 0).toFixed(1)}/s of ${row.targetRate}/s (see dropped_iterations)`;
  }
  const failures = (row.shedRate ?? 0) + (row.errorRate ?? 0);
  if (failures > maxFailureRate) return `${(failures * 100).toFixed(1)}% shed or failed`;
  if ((row.p95Ms ?? 0) > limits.p95Ms) return `p95 ${Math.round(row.p95Ms ?? 0)} ms > ${limits.p95Ms} ms`;
  if ((row.p99Ms ?? 0) > limits.p99Ms) return `p99 ${Math.round(row.p99Ms ?? 0)} ms > ${limits.p99Ms} ms`;
  return undefined;
}

export type Knee = Readonly<{
  /** The last plateau within the SLO before the first one outside it. */
  lastWithin: PhaseRow | undefined;
  firstOutside: PhaseRow | undefined;
  reason: string | undefined;
}>;

/** The knee of a stress run: where the plateaus, in order of rising rate, first leave the SLO. */
export function findKnee(rows: readonly PhaseRow[], limits: Limits, maxFailureRate: number): Knee {
  let lastWithin: PhaseRow | undefined;
  for (const row of rows) {
    const reason = sloBreach(row, limits, maxFailureRate);
    if (reason !== undefined) return { lastWithin, firstOutside: row, reason };
    lastWithin = row;
  }
  return { lastWithin, firstOutside: undefined, reason: undefined };
}

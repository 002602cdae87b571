import type { Threshold } from 'k6/options';
import type { Limits } from './load-plan.ts';
import { BUILTIN, METRIC } from './metric-names.ts';

export type ThresholdMap = Record<string, Threshold[]>;

/** What the thresholds of a run select on: its route tag, and which metrics its target emits. */
export type RouteScope = Readonly<{ route: string; gateway: boolean; batch: boolean }>;

/**
 * Expressions that always hold. They only make k6 keep a tagged sub-metric (one per reported phase), so that the
 * summary can show it; the summary leaves them out of its threshold list.
 */
export const REPORT_ONLY = { trend: 'max>=0', rate: 'rate>=0', counter: 'count>=0' } as const;
const REPORT_ONLY_SET: ReadonlySet<string> = new Set(Object.values(REPORT_ONLY));

export function isReportOnly(expression: string): boolean {
  return REPORT_ONLY_SET.has(expression);
}

/** `metric{a:b,c:d}` from the filters that are set; the route always comes first, `expected_response` last. */
export function selector(metric: string, ...filters: (string | undefined)[]): string {
  const set = filters.filter((filter): filter is string => filter !== undefined && filter !== '');
  return set.length === 0 ? metric : `${metric}{${set.join(',')}}`;
}

const SUCCESS = 'expected_response:true';
const route = (scope: RouteScope) => `route:${scope.route}`;

/** p95 and p99 of successful answers (2xx) under the SLO; sheds and errors are thresholded on their own. */
export function latencyThresholds(scope: RouteScope, limits: Limits, filter?: string): ThresholdMap {
  return {
    [selector(BUILTIN.duration, route(scope), filter, SUCCESS)]: [`p(95)<${limits.p95Ms}`, `p(99)<${limits.p99Ms}`],
  };
}

/** Error and shed rates, per request and (batch) per entity; the degraded rate where the profile limits it. */
export function failureThresholds(scope: RouteScope, limits: Limits, filter?: string): ThresholdMap {
  const map: ThresholdMap = {
    [selector(METRIC.errors, route(scope), filter)]: [`rate<=${limits.maxErrorRate}`],
    [selector(METRIC.shed, route(scope), filter)]: [`rate<=${limits.maxShedRate}`],
  };
  if (scope.batch) {
    map[selector(METRIC.batchItemsErrors, route(scope), filter)] = [`rate<=${limits.maxErrorRate}`];
    map[selector(METRIC.batchItemsShed, route(scope), filter)] = [`rate<=${limits.maxShedRate}`];
  }
  if (scope.gateway && limits.maxDegradedRate !== undefined) {
    map[selector(METRIC.degraded, route(scope), filter)] = [`rate<=${limits.maxDegradedRate}`];
  }
  return map;
}

/**
 * At most `maxDroppedRate` of the planned iterations were not started for want of a free VU: past that the load
 * generator, not the service, set the pace, and the run measured less than it claims.
 */
export function droppedThreshold(limits: Limits, plannedIterations: number | undefined): ThresholdMap {
  if (limits.maxDroppedRate === undefined || plannedIterations === undefined) return {};
  return { [BUILTIN.dropped]: [`count<=${Math.floor(limits.maxDroppedRate * plannedIterations)}`] };
}

/** Always-true thresholds that keep per-phase sub-metrics for the summary's phase table. */
export function reportThresholds(scope: RouteScope, phases: readonly string[]): ThresholdMap {
  const map: ThresholdMap = {};
  for (const name of phases) {
    const phase = `phase:${name}`;
    map[selector(BUILTIN.requests, route(scope), phase)] = [REPORT_ONLY.counter];
    map[selector(BUILTIN.duration, route(scope), phase, SUCCESS)] = [REPORT_ONLY.trend];
    map[selector(METRIC.shed, route(scope), phase)] = [REPORT_ONLY.rate];
    map[selector(METRIC.errors, route(scope), phase)] = [REPORT_ONLY.rate];
  }
  return map;
}

/** Merges threshold maps; expressions for the same sub-metric are concatenated, never overwritten. */
export function mergeThresholds(...maps: ThresholdMap[]): ThresholdMap {
  const merged: ThresholdMap = {};
  for (const map of maps) {
    for (const [key, expressions] of Object.entries(map)) merged[key] = [...(merged[key] ?? []), ...expressions];
  }
  return merged;
}

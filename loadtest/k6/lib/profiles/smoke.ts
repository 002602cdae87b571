import type { EnvReader } from '../env-reader.ts';
import { readLimits, type LoadPlan } from '../load-plan.ts';
import { failureThresholds, latencyThresholds, mergeThresholds } from '../thresholds.ts';

/**
 * smoke: a few VUs in a closed loop for at most a minute. Does every request get a correct answer? No errors, no
 * sheds, and a loose latency bound: a smoke run checks wiring and response shapes, not capacity.
 */
export function planSmoke(read: EnvReader): LoadPlan {
  const vus = read.integer('VUS', 2, 1, 20);
  const duration = read.duration('DURATION', '30s', 1, 60);
  const limits = readLimits(read, { p95Ms: 500, p99Ms: 1000, maxErrorRate: 0, maxShedRate: 0, maxDegradedRate: 0.05 });
  return {
    scenarios: { smoke: { executor: 'constant-vus', vus, duration: duration.text } },
    phases: [],
    reportedPhases: [],
    plannedIterations: undefined,
    durationS: duration.seconds,
    limits,
    thresholds: (scope) => mergeThresholds(latencyThresholds(scope, limits), failureThresholds(scope, limits)),
    kneeFailureRate: undefined,
  };
}

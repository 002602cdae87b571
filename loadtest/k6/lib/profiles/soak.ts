import type { EnvReader } from '../env-reader.ts';
import { readLimits, type LoadPlan, type PlanPhase } from '../load-plan.ts';
import { METRIC } from '../metric-names.ts';
import {
  droppedThreshold,
  failureThresholds,
  latencyThresholds,
  mergeThresholds,
  reportThresholds,
  selector,
} from '../thresholds.ts';
import { MEASURED_FILTER, readSteadyRate } from './steady-rate.ts';

const WINDOWS = 4;

/**
 * soak: the reference load held for long (30 minutes by default; hours on Cloud Run) to expose leaks, pool or
 * queue creep and slow drift. Same SLO as the reference profile over the whole steady run, and again over its last
 * quarter alone, so that a service degrading late cannot hide behind a good start. The summary compares quarters.
 */
export function planSoak(read: EnvReader): LoadPlan {
  const steady = readSteadyRate(read, { rate: 20, duration: '30m' });
  const limits = readLimits(read, {
    p95Ms: 300,
    p99Ms: 600,
    maxErrorRate: 0.01,
    maxShedRate: 0.01,
    maxDegradedRate: 0.05,
    maxDroppedRate: 0.01,
  });
  const windowS = steady.duration.seconds / WINDOWS;
  const phases: PlanPhase[] = Array.from({ length: WINDOWS }, (_, i) => ({
    name: `quarter-${i + 1}`,
    startS: steady.warmup.seconds + i * windowS,
    endS: steady.warmup.seconds + (i + 1) * windowS,
    targetRate: steady.rate,
  }));
  const last = phases[phases.length - 1]?.name ?? 'quarter-4';
  return {
    scenarios: steady.scenarios,
    phases: [...steady.warmupPhases, ...phases],
    reportedPhases: phases.map((phase) => phase.name),
    plannedIterations: steady.plannedIterations,
    durationS: steady.durationS,
    limits,
    thresholds: (scope) =>
      mergeThresholds(
        latencyThresholds(scope, limits, MEASURED_FILTER),
        failureThresholds(scope, limits, MEASURED_FILTER),
        droppedThreshold(limits, steady.plannedIterations),
        latencyThresholds(scope, limits, `phase:${last}`),
        { [selector(METRIC.errors, `route:${scope.route}`, `phase:${last}`)]: [`rate<=${limits.maxErrorRate}`] },
        reportThresholds(
          scope,
          phases.map((phase) => phase.name),
        ),
      ),
    kneeFailureRate: undefined,
  };
}

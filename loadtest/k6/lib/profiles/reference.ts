import type { EnvReader } from '../env-reader.ts';
import { readLimits, type LoadPlan } from '../load-plan.ts';
import { droppedThreshold, failureThresholds, latencyThresholds, mergeThresholds } from '../thresholds.ts';
import { MEASURED_FILTER, readSteadyRate, STEADY } from './steady-rate.ts';

/**
 * reference: the capacity target at a constant arrival rate (1000 requests/s on Cloud Run; 20/s by default, which
 * a laptop running the whole stack survives). Within the SLO: p95/p99 of successful answers, at most 1% errors,
 * at most 1% shed (the deployment is sized so that this load scales out instead of shedding), at most 5% degraded.
 */
export function planReference(read: EnvReader): LoadPlan {
  const steady = readSteadyRate(read, { rate: 20, duration: '2m' });
  const limits = readLimits(read, {
    p95Ms: 300,
    p99Ms: 600,
    maxErrorRate: 0.01,
    maxShedRate: 0.01,
    maxDegradedRate: 0.05,
    maxDroppedRate: 0.01,
  });
  return {
    scenarios: steady.scenarios,
    phases: [
      ...steady.warmupPhases,
      { name: STEADY, startS: steady.warmup.seconds, endS: steady.durationS, targetRate: steady.rate },
    ],
    reportedPhases: [],
    plannedIterations: steady.plannedIterations,
    durationS: steady.durationS,
    limits,
    thresholds: (scope) =>
      mergeThresholds(
        latencyThresholds(scope, limits, MEASURED_FILTER),
        failureThresholds(scope, limits, MEASURED_FILTER),
        droppedThreshold(limits, steady.plannedIterations),
      ),
    kneeFailureRate: undefined,
  };
}

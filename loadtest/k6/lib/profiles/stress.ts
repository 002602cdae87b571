import type { EnvReader } from '../env-reader.ts';
import {
  k6Stages,
  plannedStageIterations,
  readLimits,
  readVus,
  stagePhases,
  type LoadPlan,
  withRateJumps,
  type RateStage,
} from '../load-plan.ts';
import { droppedThreshold, failureThresholds, mergeThresholds, reportThresholds } from '../thresholds.ts';

/**
 * stress: the arrival rate climbs in STEPS plateaus from START_RATE to PEAK_RATE (ramping-arrival-rate), each held
 * for STEP_DURATION after a RAMP_DURATION ramp, to find the knee: the last plateau still within the SLO (P95_MS,
 * P99_MS, at most KNEE_FAILURE_RATE shed or failed). The summary reports every plateau and the knee. Pass/fail is
 * about degrading gracefully past it: the service sheds (503 + Retry-After) instead of failing, so errors stay
 * under MAX_ERROR_RATE, and the sheds under MAX_SHED_RATE; latency is reported, not thresholded.
 */
export function planStress(read: EnvReader): LoadPlan {
  const startRate = read.integer('START_RATE', 10, 1, 100_000);
  const peakRate = read.integer('PEAK_RATE', 200, startRate + 1, 100_000);
  const steps = read.integer('STEPS', 8, 2, Math.min(50, peakRate - startRate + 1));
  const step = read.duration('STEP_DURATION', '30s', 5);
  const ramp = read.duration('RAMP_DURATION', '10s');
  const kneeFailureRate = read.fraction('KNEE_FAILURE_RATE', 0.01);
  const limits = readLimits(read, {
    p95Ms: 300,
    p99Ms: 600,
    maxErrorRate: 0.05,
    maxShedRate: 0.5,
    maxDroppedRate: 0.05,
  });
  const rates = Array.from({ length: steps }, (_, i) =>
    Math.round(startRate + ((peakRate - startRate) * i) / (steps - 1)),
  );
  const stages: RateStage[] = [];
  rates.forEach((rate, i) => {
    if (i > 0 && ramp.seconds > 0) stages.push({ durationS: ramp.seconds, target: rate, phase: 'ramp', ramp: true });
    stages.push({ durationS: step.seconds, target: rate, phase: `rate-${rate}` });
  });
  const timeline = withRateJumps(stages, startRate);
  const phases = stagePhases(timeline, startRate);
  const reported = phases.filter((phase) => phase.name !== 'ramp').map((phase) => phase.name);
  const plannedIterations = plannedStageIterations(timeline, startRate);
  return {
    scenarios: {
      stress: {
        executor: 'ramping-arrival-rate',
        startRate,
        timeUnit: '1s',
        stages: k6Stages(timeline),
        ...readVus(read, peakRate),
      },
    },
    phases,
    reportedPhases: reported,
    plannedIterations,
    durationS: timeline.reduce((sum, stage) => sum + stage.durationS, 0),
    limits,
    thresholds: (scope) =>
      mergeThresholds(
        failureThresholds(scope, limits),
        droppedThreshold(limits, plannedIterations),
        reportThresholds(scope, reported),
      ),
    kneeFailureRate,
  };
}

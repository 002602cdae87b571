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
import { METRIC } from '../metric-names.ts';
import {
  droppedThreshold,
  failureThresholds,
  latencyThresholds,
  mergeThresholds,
  reportThresholds,
  selector,
} from '../thresholds.ts';

/**
 * spike: BASE_RATE, then a sudden jump to SPIKE_RATE (a RAMP_DURATION ramp, 5 s by default) held for
 * SPIKE_DURATION, then back to BASE_RATE for RECOVERY_DURATION (ramping-arrival-rate). The service must shed
 * rather than fail during the spike (errors under MAX_ERROR_RATE, sheds under MAX_SHED_RATE over the run) and be
 * back within the SLO in the recovery phase: p95/p99 under P95_MS/P99_MS and sheds under MAX_RECOVERY_SHED_RATE.
 */
export function planSpike(read: EnvReader): LoadPlan {
  const baseRate = read.integer('BASE_RATE', 10, 1, 100_000);
  const spikeRate = read.integer('SPIKE_RATE', 100, baseRate + 1, 1_000_000);
  const base = read.duration('BASE_DURATION', '1m', 5);
  const ramp = read.duration('RAMP_DURATION', '5s');
  const spike = read.duration('SPIKE_DURATION', '1m', 5);
  const recovery = read.duration('RECOVERY_DURATION', '2m', 10);
  const maxRecoveryShedRate = read.fraction('MAX_RECOVERY_SHED_RATE', 0.01);
  const limits = readLimits(read, {
    p95Ms: 300,
    p99Ms: 600,
    maxErrorRate: 0.01,
    maxShedRate: 0.3,
    maxDroppedRate: 0.05,
  });
  const stages: RateStage[] = [{ durationS: base.seconds, target: baseRate, phase: 'baseline' }];
  if (ramp.seconds > 0) stages.push({ durationS: ramp.seconds, target: spikeRate, phase: 'ramp-up', ramp: true });
  stages.push({ durationS: spike.seconds, target: spikeRate, phase: 'spike' });
  if (ramp.seconds > 0) stages.push({ durationS: ramp.seconds, target: baseRate, phase: 'ramp-down', ramp: true });
  stages.push({ durationS: recovery.seconds, target: baseRate, phase: 'recovery' });
  const timeline = withRateJumps(stages, baseRate);
  const plannedIterations = plannedStageIterations(timeline, baseRate);
  const reported = ['baseline', 'spike', 'recovery'];
  return {
    scenarios: {
      spike: {
        executor: 'ramping-arrival-rate',
        startRate: baseRate,
        timeUnit: '1s',
        stages: k6Stages(timeline),
        ...readVus(read, spikeRate),
      },
    },
    phases: stagePhases(timeline, baseRate),
    reportedPhases: reported,
    plannedIterations,
    durationS: timeline.reduce((sum, stage) => sum + stage.durationS, 0),
    limits,
    thresholds: (scope) =>
      mergeThresholds(
        failureThresholds(scope, limits),
        droppedThreshold(limits, plannedIterations),
        latencyThresholds(scope, limits, 'phase:recovery'),
        { [selector(METRIC.shed, `route:${scope.route}`, 'phase:recovery')]: [`rate<=${maxRecoveryShedRate}`] },
        reportThresholds(scope, reported),
      ),
    kneeFailureRate: undefined,
  };
}

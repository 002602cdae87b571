import type { Scenario } from 'k6/options';
import type { Duration, EnvReader } from '../env-reader.ts';
import { readVus, type PlanPhase } from '../load-plan.ts';

/** The scenario tag of the measured part of reference and soak runs; their SLO thresholds filter on it. */
export const STEADY = 'steady';
export const MEASURED_FILTER = `scenario:${STEADY}`;

/**
 * RATE requests/s for DURATION (constant-arrival-rate, an open model: requests keep arriving however slowly the
 * service answers), after an optional WARMUP ramp from 1/s that the SLO thresholds leave out, so that autoscaling
 * and cold connections do not count against the steady state.
 */
export function readSteadyRate(read: EnvReader, defaults: { rate: number; duration: string }) {
  const rate = read.integer('RATE', defaults.rate, 1, 100_000);
  const duration: Duration = read.duration('DURATION', defaults.duration, 10);
  const warmup: Duration = read.duration('WARMUP', '30s');
  const vus = readVus(read, rate);
  const scenarios: Record<string, Scenario> = {};
  if (warmup.seconds > 0) {
    scenarios['warmup'] = {
      executor: 'ramping-arrival-rate',
      startRate: 1,
      timeUnit: '1s',
      stages: [{ duration: warmup.text, target: rate }],
      ...vus,
      // No overlap with the steady scenario, so both share one pool of VUs instead of allocating two.
      gracefulStop: '0s',
    };
  }
  scenarios[STEADY] = {
    executor: 'constant-arrival-rate',
    rate,
    timeUnit: '1s',
    duration: duration.text,
    ...vus,
    startTime: warmup.seconds > 0 ? warmup.text : '0s',
  };
  const warmupIterations = warmup.seconds > 0 ? Math.round(((1 + rate) / 2) * warmup.seconds) : 0;
  const warmupPhases: PlanPhase[] = warmup.seconds > 0 ? [{ name: 'warmup', startS: 0, endS: warmup.seconds }] : [];
  return {
    rate,
    duration,
    warmup,
    warmupPhases,
    scenarios,
    plannedIterations: warmupIterations + Math.round(rate * duration.seconds),
    durationS: warmup.seconds + duration.seconds,
  };
}

import type { Scenario } from 'k6/options';
import { formatDurationS } from './durations.ts';
import type { EnvReader } from './env-reader.ts';
import type { RouteScope, ThresholdMap } from './thresholds.ts';

/** A stretch of the run, in seconds from its start; requests sent in it carry the tag `phase: name`. */
export type PlanPhase = Readonly<{ name: string; startS: number; endS: number; targetRate?: number }>;

/** The SLO budget a profile checks against; each limit comes from the environment with a per-profile default. */
export type Limits = Readonly<{
  p95Ms: number;
  p99Ms: number;
  maxErrorRate: number;
  maxShedRate: number;
  /** Undefined where a profile does not threshold it (stress, spike). */
  maxDegradedRate: number | undefined;
  /** Undefined for closed-model profiles (smoke), which never drop iterations. */
  maxDroppedRate: number | undefined;
}>;

/** What a profile (smoke, reference, stress, spike, soak) turns its environment into. */
export type LoadPlan = Readonly<{
  /** Named k6 scenarios; all run the script's default function. */
  scenarios: Record<string, Scenario>;
  /** Time-based phases; a request outside all of them is tagged with the profile name. */
  phases: readonly PlanPhase[];
  /** Phases the summary reports one row each, in order. */
  reportedPhases: readonly string[];
  /** Iterations the executors are asked to start; undefined for closed-model profiles. */
  plannedIterations: number | undefined;
  /** Longest the run lasts, graceful stops excluded. */
  durationS: number;
  limits: Limits;
  /** The run's pass/fail criteria (k6 exits non-zero when one fails) plus the report-only per-phase ones. */
  thresholds(scope: RouteScope): ThresholdMap;
  /** stress only: the summary reports the knee, a phase within SLO having at most this share shed or failed. */
  kneeFailureRate: number | undefined;
}>;

/**
 * One stage of a ramping-arrival-rate scenario, with the phase it belongs to. `ramp` marks a stage meant to change
 * the rate gradually; any other stage holds its target for its whole duration.
 */
export type RateStage = Readonly<{ durationS: number; target: number; phase: string; ramp?: boolean }>;

/** k6 stages from rate stages; durations are rounded to whole seconds. */
export function k6Stages(stages: readonly RateStage[]): { duration: string; target: number }[] {
  return stages.map((stage) => ({ duration: formatDurationS(stage.durationS), target: stage.target }));
}

/**
 * Phases for consecutive stages starting at `offsetS`; consecutive stages of the same phase merge. A phase whose
 * last stage holds its rate flat carries that rate, for the summary's "target/s" column.
 */
export function stagePhases(stages: readonly RateStage[], startRate: number, offsetS = 0): PlanPhase[] {
  const phases: PlanPhase[] = [];
  let at = offsetS;
  let rate = startRate;
  for (const stage of stages) {
    const flat = stage.target === rate ? { targetRate: rate } : {};
    const last = phases[phases.length - 1];
    if (last !== undefined && last.name === stage.phase) {
      phases[phases.length - 1] = { name: last.name, startS: last.startS, endS: at + stage.durationS, ...flat };
    } else {
      phases.push({ name: stage.phase, startS: at, endS: at + stage.durationS, ...flat });
    }
    at += stage.durationS;
    rate = stage.target;
  }
  return phases;
}

/**
 * k6 ramps linearly from the previous target within each stage; where a holding stage (not a `ramp`) starts at
 * another rate, this splits off its first second so that the change is a 1 s jump, not a stage-long ramp.
 */
export function withRateJumps(stages: readonly RateStage[], startRate: number): RateStage[] {
  const result: RateStage[] = [];
  let rate = startRate;
  for (const stage of stages) {
    if (stage.ramp !== true && stage.target !== rate && stage.durationS > 1) {
      result.push({ durationS: 1, target: stage.target, phase: stage.phase });
      result.push({ durationS: stage.durationS - 1, target: stage.target, phase: stage.phase });
    } else {
      result.push(stage);
    }
    rate = stage.target;
  }
  return result;
}

/** Iterations a ramping-arrival-rate executor starts: the area under its linear rate curve. */
export function plannedStageIterations(stages: readonly RateStage[], startRate: number): number {
  let total = 0;
  let rate = startRate;
  for (const stage of stages) {
    total += ((rate + stage.target) / 2) * stage.durationS;
    rate = stage.target;
  }
  return Math.round(total);
}

/** The phase at `elapsedMs` from the run's start, or `fallback` outside every phase. */
export function phaseAt(phases: readonly PlanPhase[], elapsedMs: number, fallback: string): string {
  const seconds = elapsedMs / 1000;
  for (const phase of phases) if (seconds >= phase.startS && seconds < phase.endS) return phase.name;
  return fallback;
}

/**
 * VUs for an open-model scenario (PRE_ALLOCATED_VUS, MAX_VUS): by default enough for `peakRate` iterations/s
 * lasting ~0.3 s each pre-allocated, and ~1.5 s each at most (the gateway answers by its 1 s deadline).
 */
export function readVus(read: EnvReader, peakRate: number): { preAllocatedVUs: number; maxVUs: number } {
  const preAllocatedVUs = read.integer('PRE_ALLOCATED_VUS', Math.max(5, Math.ceil(peakRate * 0.3)), 1, 100_000);
  const fallbackMax = Math.max(preAllocatedVUs, Math.ceil(peakRate * 1.5), 10);
  return { preAllocatedVUs, maxVUs: read.integer('MAX_VUS', fallbackMax, preAllocatedVUs, 100_000) };
}

/** Per-profile defaults of the limits; a limit left undefined is not read and not thresholded. */
export type LimitDefaults = Readonly<{
  p95Ms: number;
  p99Ms: number;
  maxErrorRate: number;
  maxShedRate: number;
  maxDegradedRate?: number;
  maxDroppedRate?: number;
}>;

/** P95_MS, P99_MS, MAX_ERROR_RATE, MAX_SHED_RATE, and MAX_DEGRADED_RATE / MAX_DROPPED_RATE where they apply. */
export function readLimits(read: EnvReader, defaults: LimitDefaults): Limits {
  return {
    p95Ms: read.integer('P95_MS', defaults.p95Ms, 1, 600_000),
    p99Ms: read.integer('P99_MS', defaults.p99Ms, 1, 600_000),
    maxErrorRate: read.fraction('MAX_ERROR_RATE', defaults.maxErrorRate),
    maxShedRate: read.fraction('MAX_SHED_RATE', defaults.maxShedRate),
    maxDegradedRate:
      defaults.maxDegradedRate === undefined ? undefined : read.fraction('MAX_DEGRADED_RATE', defaults.maxDegradedRate),
    maxDroppedRate:
      defaults.maxDroppedRate === undefined ? undefined : read.fraction('MAX_DROPPED_RATE', defaults.maxDroppedRate),
  };
}

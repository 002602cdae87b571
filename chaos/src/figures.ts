import type { Outcome } from './open-loop.ts';

/** Nearest-rank percentiles and the maximum of a set of timings, in milliseconds, rounded to 0.1. */
export type LatencyFigures = { p50: number; p99: number; max: number };

/** What a load's outcomes add up to. */
export type LoadFigures = {
  requests: number;
  /** By status (`200`, `503`, `error`, `unanswered`), and by `status code (dependency)` where the body named them. */
  statuses: Record<string, number>;
  codes: Record<string, number>;
  latencyMs: LatencyFigures;
  /** Requests that answered 200 with a `degraded` list. */
  degraded: number;
  unanswered: number;
  /** Worst latency minus the deadline (negative: every answer came before it); undefined without a deadline. */
  maxLatenessMs?: number;
  /** Answers later than deadline + grace. */
  late: number;
};

const round = (value: number) => Math.round(value * 10) / 10;

/** Nearest-rank percentile of sorted samples (a latency that really happened); NaN for none. */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

export function latencyFigures(samples: readonly number[]): LatencyFigures {
  const sorted = Float64Array.from(samples).sort();
  return {
    p50: round(percentile(sorted, 50)),
    p99: round(percentile(sorted, 99)),
    max: round(sorted.length === 0 ? Number.NaN : sorted[sorted.length - 1]!),
  };
}

/**
 * Adds up a load's outcomes. With `deadlineMs`, an answer is late when it took longer than the deadline plus
 * `graceMs`; an unanswered request (the client's hard cap) counts as late too.
 */
export function summarizeLoad(outcomes: readonly Outcome[], deadlineMs?: number, graceMs = 50): LoadFigures {
  const statuses: Record<string, number> = {};
  const codes: Record<string, number> = {};
  const answered: number[] = [];
  let degraded = 0;
  for (const outcome of outcomes) {
    const status = String(outcome.status);
    statuses[status] = (statuses[status] ?? 0) + 1;
    const code = outcome.code ?? outcome.error;
    if (code !== undefined) {
      const key = `${status} ${code}${outcome.dependency === undefined ? '' : ` (${outcome.dependency})`}`;
      codes[key] = (codes[key] ?? 0) + 1;
    }
    if (outcome.status !== 'unanswered') answered.push(outcome.latencyMs);
    if (outcome.degraded !== undefined) degraded++;
  }
  const unanswered = statuses['unanswered'] ?? 0;
  const latencyMs = latencyFigures(answered);
  return {
    requests: outcomes.length,
    statuses,
    codes,
    latencyMs,
    degraded,
    unanswered,
    ...(deadlineMs !== undefined && { maxLatenessMs: round(latencyMs.max - deadlineMs) }),
    late:
      deadlineMs === undefined ? 0 : unanswered + answered.filter((latency) => latency > deadlineMs + graceMs).length,
  };
}

/** The outcomes whose request left in `[from, to)` (`performance.now()` times). */
export function sentBetween(outcomes: readonly Outcome[], from: number, to = Infinity): Outcome[] {
  return outcomes.filter((outcome) => outcome.sentAt >= from && outcome.sentAt < to);
}

// Per-round figures of the monolith-vs-split comparison and their medians over rounds.
import type { OpenLoopResult } from './open-loop.ts';
import { median } from './percentiles.ts';
import type { FailureCounts } from './request-sender.ts';

/** One architecture at one offered rate in one round. */
export type ArchitectureRound = {
  /** 2xx answers of the window's requests, per second of window. */
  goodputPerSecond: number;
  /** Share of the requests due in the window that were answered 2xx (dropped ones count as not answered). */
  okShare: number;
  p50Ms: number;
  p99Ms: number;
  meanMs: number;
  maxMs: number;
  failures: number;
  failuresBy: FailureCounts;
  dropped: number;
  /** Median time to a failed answer (e.g. a 503): a clean refusal is fast. */
  failureP50Ms: number;
  /** CPU of every process of the system (monolith, or gateway + scorer) per completed request, µs. */
  systemCpuPerRequestUs: number;
  /** CPUs the system kept busy in the window. */
  systemCores: number;
  /** CPUs the rest of the machine used (client, mocks, other tenants). */
  othersCores: number;
  sendLagP99Ms: number;
};

/** Medians over rounds (failures, dropped and max summed or worst over rounds). */
export type ArchitectureFigures = ArchitectureRound & {
  /** Requests in flight by Little's law: offered rate × mean latency of the 2xx answers. */
  concurrency: number;
};

/** Normalises one open-loop window; `systemCpuNs` is the CPU of all the system's processes in the window. */
export function architectureRound(result: OpenLoopResult, windowMs: number): ArchitectureRound {
  const systemNs = result.serverCpu.totalNs + (result.stackCpuNs ?? 0);
  const seconds = windowMs / 1000;
  return {
    goodputPerSecond: result.requests / seconds,
    okShare: result.dueInWindow === 0 ? Number.NaN : result.requests / result.dueInWindow,
    p50Ms: result.latencyMs.p50,
    p99Ms: result.latencyMs.p99,
    meanMs: result.latencyMs.mean,
    maxMs: result.latencyMs.max,
    failures: result.failures,
    failuresBy: result.failuresBy,
    dropped: result.dropped,
    failureP50Ms: result.failureLatencyMs.p50,
    systemCpuPerRequestUs: systemNs / 1000 / Math.max(1, result.completedInWindow),
    systemCores: systemNs / (windowMs * 1e6),
    othersCores: ((result.machineBusyNs ?? Number.NaN) - systemNs) / (windowMs * 1e6),
    sendLagP99Ms: result.sendLagMs.p99,
  };
}

/** Medians over rounds of each figure; failures, dropped and failures by status summed, max the worst. */
export function architectureFigures(rounds: readonly ArchitectureRound[], ratePerSecond: number): ArchitectureFigures {
  const med = (pick: (round: ArchitectureRound) => number) => median(rounds.map(pick));
  const failuresBy: FailureCounts = {};
  for (const round of rounds) {
    for (const [status, count] of Object.entries(round.failuresBy))
      failuresBy[status] = (failuresBy[status] ?? 0) + count;
  }
  const meanMs = med((r) => r.meanMs);
  return {
    goodputPerSecond: med((r) => r.goodputPerSecond),
    okShare: med((r) => r.okShare),
    p50Ms: med((r) => r.p50Ms),
    p99Ms: med((r) => r.p99Ms),
    meanMs,
    maxMs: Math.max(...rounds.map((r) => r.maxMs).filter(Number.isFinite), Number.NaN),
    failures: rounds.reduce((sum, r) => sum + r.failures, 0),
    failuresBy,
    dropped: rounds.reduce((sum, r) => sum + r.dropped, 0),
    failureP50Ms: med((r) => r.failureP50Ms),
    systemCpuPerRequestUs: med((r) => r.systemCpuPerRequestUs),
    systemCores: med((r) => r.systemCores),
    othersCores: med((r) => r.othersCores),
    sendLagP99Ms: med((r) => r.sendLagP99Ms),
    concurrency: (ratePerSecond * meanMs) / 1000,
  };
}

/** A rate the architecture held: at least this share of requests answered 2xx … */
export const HELD_OK_SHARE = 0.99;
/**
 * … and p50 at most this multiple of its p50 at the lowest rate: where queueing starts to dominate the median. The
 * median, not p99: on a shared 2-core machine one round's p99 can spike at any rate, while the median knee is robust.
 */
export const HELD_P50_FACTOR = 1.5;

/** The highest offered rate, scanning upwards, up to which every rate was held; undefined if the lowest was not. */
export function highestRateHeld(points: readonly { ratePerSecond: number; figures: ArchitectureFigures }[]) {
  const sorted = [...points].sort((a, b) => a.ratePerSecond - b.ratePerSecond);
  const baseline = sorted[0]?.figures.p50Ms ?? Number.NaN;
  let held: number | undefined;
  for (const { ratePerSecond, figures } of sorted) {
    if (!(figures.okShare >= HELD_OK_SHARE && figures.p50Ms <= HELD_P50_FACTOR * baseline)) break;
    held = ratePerSecond;
  }
  return held;
}

/**
 * Least-squares slope of mean latency (ms) against requests in flight (Little's law), over the points given: the
 * milliseconds each further concurrent request adds. NaN with fewer than two distinct points.
 */
export function latencyPerConcurrentRequestMs(figures: readonly ArchitectureFigures[]): number {
  const points = figures.filter((f) => Number.isFinite(f.concurrency) && Number.isFinite(f.meanMs));
  if (points.length < 2) return Number.NaN;
  const meanX = points.reduce((sum, f) => sum + f.concurrency, 0) / points.length;
  const meanY = points.reduce((sum, f) => sum + f.meanMs, 0) / points.length;
  let covariance = 0;
  let variance = 0;
  for (const f of points) {
    covariance += (f.concurrency - meanX) * (f.meanMs - meanY);
    variance += (f.concurrency - meanX) ** 2;
  }
  return variance === 0 ? Number.NaN : covariance / variance;
}

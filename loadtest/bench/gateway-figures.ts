// Per-round figures of the gateway and its floor, and their medians over rounds.
import type { ConcurrentResult } from './load-client.ts';
import type { OpenLoopResult } from './open-loop.ts';
import { median, type Summary } from './percentiles.ts';
import type { CpuSplit } from './proc-stats.ts';
import type { FailureCounts } from './request-sender.ts';

/** One server's window in one round, whichever client drove it. CPU in nanoseconds per request. */
export type SideRound = {
  /** Requests completed inside the window, per second. */
  requestsPerSecond: number;
  cpuPerRequestNs: CpuSplit;
  /** Of the window's 2xx answers. */
  latencyMs: Summary;
  failures: number;
  failuresBy: FailureCounts;
  /** Open loop only: requests due but never sent, because the server had fallen behind. */
  dropped: number;
  /** Data requests the mock sources received per request sent (2 = one per source; more = hedges or retries). */
  upstreamCallsPerRequest: number;
  /** CPU the mocks and the scorer used per request. */
  stackCpuPerRequestNs: number;
  clientCores: number;
  /** CPUs the rest of the machine (other tenants, the idle other server) kept busy. */
  othersCores: number;
  /** Open loop only: p99 of how late requests left against their schedule. */
  sendLagP99Ms: number | undefined;
};

/** CPU per request of one server, by thread role, in microseconds. */
export type ServerCpuUs = { mainUs: number; otherUs: number; totalUs: number };

/** One server's figures at one load point: medians over rounds, except `maxMs` (the worst of all rounds). */
export type SideFigures = {
  requestsPerSecond: number;
  cpuPerRequestUs: ServerCpuUs;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  failures: number;
  /** Failures by response status (or error code), over all rounds. */
  failuresBy: FailureCounts;
  dropped: number;
  upstreamCallsPerRequest: number;
  stackCpuPerRequestUs: number;
  clientCores: number;
  othersCores: number;
  sendLagP99Ms: number | undefined;
};

/** The gateway and the floor at one load point, with per-round comparisons. */
export type Comparison = {
  gateway: SideFigures;
  floor: SideFigures;
  /** Median over rounds of (gateway CPU per request ÷ floor CPU per request) within the same round. */
  cpuRatio: number;
  /** Median over rounds of (gateway p99 − floor p99) within the same round, in ms. */
  p99DifferenceMs: number;
};

/**
 * Normalises an open-loop window; `upstreamCalls` is what the mocks counted over the whole job. CPU per request
 * divides by the requests completed inside the window.
 */
export function openLoopRound(result: OpenLoopResult, windowMs: number, upstreamCalls: number): SideRound {
  return sideRound({
    completed: result.completedInWindow,
    windowMs,
    serverCpu: result.serverCpu,
    latencyMs: result.latencyMs,
    failures: result.failures,
    failuresBy: result.failuresBy,
    dropped: result.dropped,
    upstreamCallsPerRequest: upstreamCalls / result.sent,
    stackCpuNs: result.stackCpuNs,
    clientCpuNs: result.clientCpuNs,
    machineBusyNs: result.machineBusyNs,
    sendLagP99Ms: result.sendLagMs.p99,
  });
}

/** Normalises a closed-loop window (CPU per request answered inside the window, whatever its status). */
export function closedLoopRound(result: ConcurrentResult, windowMs: number, upstreamCalls: number): SideRound {
  return sideRound({
    completed: result.requests + result.failures,
    windowMs,
    serverCpu: result.serverCpu,
    latencyMs: result.latencyMs,
    failures: result.failures,
    failuresBy: result.failuresBy,
    dropped: 0,
    upstreamCallsPerRequest: upstreamCalls / result.sent,
    stackCpuNs: result.stackCpuNs,
    clientCpuNs: result.clientCpuNs,
    machineBusyNs: result.machineBusyNs,
    sendLagP99Ms: undefined,
  });
}

function sideRound(window: {
  completed: number;
  windowMs: number;
  serverCpu: CpuSplit | undefined;
  latencyMs: Summary;
  failures: number;
  failuresBy: FailureCounts;
  dropped: number;
  upstreamCallsPerRequest: number;
  stackCpuNs: number | undefined;
  clientCpuNs: number;
  machineBusyNs: number | undefined;
  sendLagP99Ms: number | undefined;
}): SideRound {
  const { completed, windowMs, serverCpu } = window;
  const perRequest = (ns: number | undefined) => (ns ?? Number.NaN) / completed;
  const cores = (ns: number | undefined) => (ns ?? Number.NaN) / (windowMs * 1e6);
  const serverNs = serverCpu?.totalNs ?? Number.NaN;
  const othersNs = (window.machineBusyNs ?? Number.NaN) - serverNs - (window.stackCpuNs ?? 0) - window.clientCpuNs;
  return {
    requestsPerSecond: (completed * 1000) / windowMs,
    cpuPerRequestNs: {
      mainNs: perRequest(serverCpu?.mainNs),
      workerNs: perRequest(serverCpu?.workerNs),
      otherNs: perRequest(serverCpu?.otherNs),
      totalNs: perRequest(serverCpu?.totalNs),
    },
    latencyMs: window.latencyMs,
    failures: window.failures,
    failuresBy: window.failuresBy,
    dropped: window.dropped,
    upstreamCallsPerRequest: window.upstreamCallsPerRequest,
    stackCpuPerRequestNs: perRequest(window.stackCpuNs),
    clientCores: cores(window.clientCpuNs),
    othersCores: Math.max(0, cores(othersNs)),
    sendLagP99Ms: window.sendLagP99Ms,
  };
}

/** Medians over rounds of one server's figures at one load point. */
export function sideFigures(rounds: readonly SideRound[]): SideFigures {
  const med = (pick: (round: SideRound) => number) => median(rounds.map(pick));
  const lags = rounds.flatMap((round) => (round.sendLagP99Ms === undefined ? [] : [round.sendLagP99Ms]));
  return {
    requestsPerSecond: med((round) => round.requestsPerSecond),
    cpuPerRequestUs: {
      mainUs: med((round) => round.cpuPerRequestNs.mainNs / 1000),
      otherUs: med((round) => round.cpuPerRequestNs.otherNs / 1000),
      totalUs: med((round) => round.cpuPerRequestNs.totalNs / 1000),
    },
    p50Ms: med((round) => round.latencyMs.p50),
    p99Ms: med((round) => round.latencyMs.p99),
    maxMs: Math.max(...rounds.map((round) => round.latencyMs.max)),
    failures: rounds.reduce((sum, round) => sum + round.failures, 0),
    failuresBy: sumCounts(rounds.map((round) => round.failuresBy)),
    dropped: rounds.reduce((sum, round) => sum + round.dropped, 0),
    upstreamCallsPerRequest: med((round) => round.upstreamCallsPerRequest),
    stackCpuPerRequestUs: med((round) => round.stackCpuPerRequestNs / 1000),
    clientCores: med((round) => round.clientCores),
    othersCores: med((round) => round.othersCores),
    sendLagP99Ms: lags.length > 0 ? median(lags) : undefined,
  };
}

/**
 * The gateway against the floor at one load point. `gateway[i]` and `floor[i]` must come from the same round
 * (they ran back to back), so the per-round ratio and difference cancel what the machine did in that round.
 */
export function compare(gateway: readonly SideRound[], floor: readonly SideRound[]): Comparison {
  if (gateway.length !== floor.length) throw new Error('the gateway and the floor ran a different number of rounds');
  return {
    gateway: sideFigures(gateway),
    floor: sideFigures(floor),
    cpuRatio: median(gateway.map((round, i) => round.cpuPerRequestNs.totalNs / floor[i]!.cpuPerRequestNs.totalNs)),
    p99DifferenceMs: median(gateway.map((round, i) => round.latencyMs.p99 - floor[i]!.latencyMs.p99)),
  };
}

function sumCounts(counts: readonly FailureCounts[]): FailureCounts {
  const total: FailureCounts = {};
  for (const entry of counts) for (const [key, count] of Object.entries(entry)) total[key] = (total[key] ?? 0) + count;
  return total;
}

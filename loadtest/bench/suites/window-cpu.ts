import type { ConcurrentResult } from '../load-client.ts';
import { median } from '../percentiles.ts';

/**
 * Median over rounds of the CPUs a process kept busy during a window (1 = one CPU the whole window), from a CPU
 * time in nanoseconds picked out of each round. Rounds without the figure count as NaN and are skipped.
 */
export function medianCores(
  rounds: readonly ConcurrentResult[],
  windowMs: number,
  pick: (round: ConcurrentResult) => number | undefined,
): number {
  return median(rounds.map((round) => (pick(round) ?? Number.NaN) / (windowMs * 1e6)));
}

/**
 * CPU time everything else on the machine used in a window: the machine's busy time minus the server's and the
 * load client's. On a shared machine this is the noise a figure was measured under.
 */
export function othersCpuNs(round: ConcurrentResult): number | undefined {
  if (round.machineBusyNs === undefined || round.serverCpu === undefined) return undefined;
  return Math.max(0, round.machineBusyNs - round.serverCpu.totalNs - round.clientCpuNs);
}

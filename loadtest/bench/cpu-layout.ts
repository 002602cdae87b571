import type { Machine } from './machine.ts';

/**
 * Which CPUs the processes of a measurement may use (`undefined`: every CPU). `serving` is the scorer, the HTTP
 * floor and the raw onnxruntime runner alike, so a baseline always runs where the server it is compared with runs.
 */
export type CpuLayout = { client: string | undefined; serving: string | undefined; description: string };

/**
 * The load client is pinned to the last CPU, so it never takes more than one CPU and its work never migrates onto
 * the other; the server side is left unpinned. Pinning the server side to one CPU as well was tried for the
 * sequential measurements and gave the same medians but worse p99 on a shared machine (a pinned server cannot
 * move away from another tenant's busy thread), and the scorer needs every CPU for its workers under load.
 * Without taskset or with a single CPU nothing is pinned.
 */
export function cpuLayout(machine: Pick<Machine, 'cpuIds' | 'taskset'>): CpuLayout {
  const last = machine.cpuIds.at(-1);
  if (!machine.taskset || last === undefined || machine.cpuIds.length < 2) {
    return { client: undefined, serving: undefined, description: 'nothing pinned (no taskset or a single CPU)' };
  }
  return {
    client: String(last),
    serving: undefined,
    description: `load client pinned to CPU ${last}, servers unpinned`,
  };
}

/** Prefixes a command with `taskset -c <cpus>` when `cpus` is set; taskset execs the command, so the pid is kept. */
export function pinnedCommand(command: readonly string[], cpus: string | undefined): string[] {
  return cpus === undefined ? [...command] : ['taskset', '-c', cpus, ...command];
}

/** Where the monolith-vs-split comparison runs its processes (see {@link comparisonLayout}). */
export type ComparisonLayout = {
  /** The load client and the mock feature sources: the outside world. */
  outside: string | undefined;
  /** The system under test, monolith or split stack alike: the same CPU budget for both. */
  system: string | undefined;
  /** CPUs the system under test may use (every CPU when nothing is pinned). */
  systemCpus: number;
  description: string;
};

/**
 * The comparison gives both architectures the same CPUs: the load client and the mock sources are pinned to the
 * last CPU, the system under test (the monolith, or the gateway and the scorer together) to all the others.
 * Without taskset or with a single CPU nothing is pinned and the figures say so.
 */
export function comparisonLayout(machine: Pick<Machine, 'cpuIds' | 'taskset'>): ComparisonLayout {
  const last = machine.cpuIds.at(-1);
  if (!machine.taskset || last === undefined || machine.cpuIds.length < 2) {
    return {
      outside: undefined,
      system: undefined,
      systemCpus: machine.cpuIds.length,
      description: 'nothing pinned (no taskset or a single CPU): client, mocks and system share every CPU',
    };
  }
  const system = machine.cpuIds.slice(0, -1);
  const plural = system.length === 1 ? 'CPU' : 'CPUs';
  return {
    outside: String(last),
    system: system.join(','),
    systemCpus: system.length,
    description:
      `load client and mock sources pinned to CPU ${last}; the system under test (the monolith, or the gateway ` +
      `and the scorer together) pinned to ${plural} ${system.join(',')}: ${system.length} ${plural} for either`,
  };
}

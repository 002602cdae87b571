import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';

/** The machine a run measured, printed beside every figure it produced. */
export type Machine = {
  cpuModel: string;
  /** CPUs this process may run on (its affinity mask), which is what the benchmark can use. */
  cores: number;
  /** Their ids, for pinning with taskset. */
  cpuIds: number[];
  node: string;
  os: string;
  /** ISO date and time the run started. */
  date: string;
  /** Whether `taskset` exists, so client and server could be pinned apart. */
  taskset: boolean;
};

/** Describes this machine. Falls back to Node's CPU list where /proc/cpuinfo is missing (non-Linux). */
export function describeMachine(now = new Date()): Machine {
  return {
    cpuModel: cpuModelName(),
    cores: os.availableParallelism(),
    cpuIds: allowedCpuIds(),
    node: process.version,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    date: now.toISOString(),
    taskset: spawnSync('taskset', ['--version'], { stdio: 'ignore' }).status === 0,
  };
}

function cpuModelName(): string {
  try {
    const match = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'));
    if (match?.[1] !== undefined) return match[1].trim();
  } catch {
    // Not Linux: os.cpus() below still names the CPU.
  }
  return os.cpus()[0]?.model.trim() ?? 'unknown CPU';
}

/** Ids of the CPUs this process may use, from `Cpus_allowed_list` (e.g. `0-1,4`); all CPUs when unreadable. */
function allowedCpuIds(): number[] {
  try {
    const list = /^Cpus_allowed_list:\s*(\S+)$/m.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
    if (list !== undefined) {
      return list.split(',').flatMap((range) => {
        const [first, last = first] = range.split('-').map(Number);
        return Array.from({ length: last! - first! + 1 }, (_, i) => first! + i);
      });
    }
  } catch {
    // Not Linux: assume every CPU.
  }
  return os.cpus().map((_, i) => i);
}

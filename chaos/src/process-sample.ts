import { readdirSync, readFileSync } from 'node:fs';

/** One reading of a process's footprint. */
export type ProcessSample = { at: number; rssMiB: number; fds: number };

/**
 * Resident memory (`VmRSS`) and open file descriptors (`/proc/<pid>/fd`: sockets, pipes, files) of a live process.
 * Linux only; throws when the process is gone.
 */
export function sampleProcess(pid: number): ProcessSample {
  const match = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (match === null) throw new Error(`no VmRSS in /proc/${pid}/status`);
  return {
    at: performance.now(),
    rssMiB: Math.round((Number(match[1]) / 1024) * 10) / 10,
    fds: readdirSync(`/proc/${pid}/fd`).length,
  };
}

/** Whether the process still runs (signal 0 probes without signalling). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

import { readdirSync, readFileSync } from 'node:fs';

/** On-CPU time of one thread of a process. */
export type ThreadCpu = { tid: number; name: string; cpuNs: number };

/** CPU time a process spent in a window, split by what its threads do. Nanoseconds. */
export type CpuSplit = {
  /** The JavaScript main thread: HTTP, routing, JSON, scheduling. */
  mainNs: number;
  /** Node worker threads, with anything onnxruntime runs inside them. */
  workerNs: number;
  /** Everything else: V8 GC and compiler threads, the libuv pool (where in-process `session.run` executes). */
  otherNs: number;
  totalNs: number;
};

// Node names its threads; these are the names Linux reports in /proc/<pid>/task/<tid>/comm.
const MAIN_THREAD = 'MainThread';
const WORKER_THREAD = 'WorkerThread';

/**
 * Reads every live thread's CPU time from `/proc/<pid>/task/<tid>/schedstat` (nanoseconds of run time, finer than
 * the 10 ms ticks of `stat`). Synchronous so a sample is taken at the instant the caller means. Threads that have
 * already exited are not counted, so take both samples of a window while the process's threads are stable. Throws
 * when the process is gone or /proc is unavailable.
 */
export function readThreadCpu(pid: number): ThreadCpu[] {
  const threads: ThreadCpu[] = [];
  for (const entry of readdirSync(`/proc/${pid}/task`)) {
    const dir = `/proc/${pid}/task/${entry}`;
    try {
      const cpuNs = Number(readFileSync(`${dir}/schedstat`, 'utf8').split(' ', 1)[0]);
      threads.push({ tid: Number(entry), name: readFileSync(`${dir}/comm`, 'utf8').trim(), cpuNs });
    } catch {
      // The thread exited between listing and reading: it has nothing left to count.
    }
  }
  return threads;
}

/** CPU used between two samples of the same process, grouped by thread role. New threads count from zero. */
export function cpuBetween(before: readonly ThreadCpu[], after: readonly ThreadCpu[]): CpuSplit {
  const start = new Map(before.map((thread) => [thread.tid, thread.cpuNs]));
  const split: CpuSplit = { mainNs: 0, workerNs: 0, otherNs: 0, totalNs: 0 };
  for (const thread of after) {
    const usedNs = thread.cpuNs - (start.get(thread.tid) ?? 0);
    if (thread.name === MAIN_THREAD) split.mainNs += usedNs;
    else if (thread.name === WORKER_THREAD) split.workerNs += usedNs;
    else split.otherNs += usedNs;
    split.totalNs += usedNs;
  }
  return split;
}

/**
 * CPU time of several whole processes since they started, summed over their live threads, in nanoseconds; the
 * difference of two readings is what they used between them. Throws when a process is gone.
 */
export function readProcessesCpuNs(pids: readonly number[]): number {
  let totalNs = 0;
  for (const pid of pids) for (const thread of readThreadCpu(pid)) totalNs += thread.cpuNs;
  return totalNs;
}

/** Divides every figure of a split by `count` (e.g. CPU per request). */
export function cpuPer(split: CpuSplit, count: number): CpuSplit {
  return {
    mainNs: split.mainNs / count,
    workerNs: split.workerNs / count,
    otherNs: split.otherNs / count,
    totalNs: split.totalNs / count,
  };
}

/** Resident set size of a process in bytes (`VmRSS` of `/proc/<pid>/status`). Throws when the process is gone. */
export function readRssBytes(pid: number): number {
  const match = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (match === null) throw new Error(`no VmRSS in /proc/${pid}/status`);
  return Number(match[1]) * 1024;
}

// /proc/stat counts in USER_HZ ticks, 100 per second on every Linux architecture Node supports.
const NS_PER_TICK = 10_000_000;

/**
 * CPU time the whole machine has spent busy since boot, over all CPUs, in nanoseconds (10 ms resolution):
 * user, nice, system, irq, softirq and steal from the first line of `/proc/stat`. Over a window, this minus the
 * processes being measured is what everything else on the machine used. Undefined where /proc is unavailable.
 */
export function readMachineBusyNs(): number | undefined {
  try {
    const fields = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!.trim().split(/\s+/).slice(1).map(Number);
    const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = fields;
    return (user + nice + system + irq + softirq + steal) * NS_PER_TICK;
  } catch {
    return undefined;
  }
}

import { setTimeout as sleep } from 'node:timers/promises';
import { Pool } from 'undici';
import type { RequestSpec } from './inference-request.ts';
import { summarize, type Summary } from './percentiles.ts';
import { cpuBetween, readMachineBusyNs, readProcessesCpuNs, readThreadCpu, type CpuSplit } from './proc-stats.ts';
import { DISPATCHER_OPTIONS, isSuccess, statusRequester, type FailureCounts } from './request-sender.ts';

/**
 * Requests at a constant arrival rate (open loop): each leaves on its schedule whatever the server's answers, so
 * two servers measured at the same rate get the same offered load, and a slow answer cannot slow the load down.
 */
export type OpenLoopJob = {
  kind: 'open';
  origin: string;
  request: RequestSpec;
  ratePerSecond: number;
  warmupMs: number;
  windowMs: number;
  /** Requests in flight at most (the pool's connections); one that falls due beyond it is dropped, not sent. */
  maxInFlight: number;
  /** The server under test, whose CPU is sampled at the window's ends. */
  cpuPid: number;
  /** Processes the server calls (e.g. mock upstreams); their CPU in the window is summed. */
  stackPids?: readonly number[];
};

export type OpenLoopResult = {
  ratePerSecond: number;
  /** Requests due in the window: sent, plus dropped. */
  dueInWindow: number;
  /** Of the requests sent in the window, those answered 2xx and those that were not (error status or error). */
  requests: number;
  failures: number;
  failuresBy: FailureCounts;
  /** Due in the window but not sent, because `maxInFlight` requests were still waiting: the server fell behind. */
  dropped: number;
  /** Requests that completed, whatever their outcome, inside the window: what the server's CPU there served. */
  completedInWindow: number;
  /** Every request sent, warm-up included. */
  sent: number;
  /** Dispatch to last byte of the 2xx requests sent in the window. */
  latencyMs: Summary;
  /** The same for the window's requests that failed (error status or error): how fast a refusal came. */
  failureLatencyMs: Summary;
  /** How late each request of the window left against its schedule: the client's own timer lag. */
  sendLagMs: Summary;
  serverCpu: CpuSplit;
  stackCpuNs?: number;
  /** This client process's CPU in the window. */
  clientCpuNs: number;
  /** CPU the whole machine used in the window, when /proc/stat is readable. */
  machineBusyNs?: number;
};

/**
 * Sends the request every `1000 / ratePerSecond` ms for the warm-up and the window, then waits for the answers
 * still due. Latency is timed from the moment a request is dispatched; the lag behind the schedule is reported
 * apart so that a client that could not keep up shows. Samples CPU at the window's ends.
 */
export async function runOpenLoop(job: OpenLoopJob): Promise<OpenLoopResult> {
  const pool = new Pool(job.origin, { ...DISPATCHER_OPTIONS, connections: job.maxInFlight });
  try {
    const send = statusRequester(pool, job.request);
    const intervalMs = 1000 / job.ratePerSecond;
    const start = performance.now();
    const windowStart = start + job.warmupMs;
    const windowEnd = windowStart + job.windowMs;
    const latencies: number[] = [];
    const failureLatencies: number[] = [];
    const lags: number[] = [];
    const answers: Promise<void>[] = [];
    const counts = { due: 0, failures: 0, dropped: 0, completedInWindow: 0, sent: 0, inFlight: 0 };
    const failuresBy: FailureCounts = {};

    const fire = (dueAt: number) => {
      const inWindow = dueAt >= windowStart;
      if (inWindow) counts.due++;
      if (counts.inFlight >= job.maxInFlight) {
        if (inWindow) counts.dropped++;
        return;
      }
      const sentAt = performance.now();
      if (inWindow) lags.push(sentAt - dueAt);
      counts.inFlight++;
      counts.sent++;
      const answer = send().then(
        (status) => (isSuccess(status) ? undefined : String(status)),
        (error: unknown) => (error as { code?: string }).code ?? String(error),
      );
      answers.push(
        answer.then((failure) => {
          const doneAt = performance.now();
          counts.inFlight--;
          if (doneAt >= windowStart && doneAt < windowEnd) counts.completedInWindow++;
          if (!inWindow) return;
          if (failure === undefined) latencies.push(doneAt - sentAt);
          else {
            failureLatencies.push(doneAt - sentAt);
            counts.failures++;
            failuresBy[failure] = (failuresBy[failure] ?? 0) + 1;
          }
        }),
      );
    };
    const schedule = async () => {
      for (let index = 0; ;) {
        const dueAt = start + index * intervalMs;
        if (dueAt >= windowEnd) return;
        const waitMs = dueAt - performance.now();
        if (waitMs > 0) {
          // Timers fire in whole milliseconds at best: every request due by then leaves in one burst.
          await sleep(waitMs);
          continue;
        }
        index++;
        fire(dueAt);
      }
    };

    const [edges] = await Promise.all([windowEdges(job, windowStart, windowEnd), schedule()]);
    await Promise.all(answers);
    return {
      ratePerSecond: job.ratePerSecond,
      dueInWindow: counts.due,
      requests: latencies.length,
      failures: counts.failures,
      failuresBy,
      dropped: counts.dropped,
      completedInWindow: counts.completedInWindow,
      sent: counts.sent,
      latencyMs: summarize(latencies),
      failureLatencyMs: summarize(failureLatencies),
      sendLagMs: summarize(lags),
      ...edges,
    };
  } finally {
    await pool.close();
  }
}

async function windowEdges(job: OpenLoopJob, windowStart: number, windowEnd: number) {
  const stackPids = job.stackPids ?? [];
  await sleep(Math.max(0, windowStart - performance.now()));
  const start = {
    server: readThreadCpu(job.cpuPid),
    stackNs: readProcessesCpuNs(stackPids),
    client: process.cpuUsage(),
    machineNs: readMachineBusyNs(),
  };
  await sleep(Math.max(0, windowEnd - performance.now()));
  const server = readThreadCpu(job.cpuPid);
  const stackNs = readProcessesCpuNs(stackPids);
  const client = process.cpuUsage(start.client);
  const machineNs = readMachineBusyNs();
  return {
    serverCpu: cpuBetween(start.server, server),
    ...(stackPids.length > 0 && { stackCpuNs: stackNs - start.stackNs }),
    clientCpuNs: (client.user + client.system) * 1000,
    ...(start.machineNs !== undefined && machineNs !== undefined && { machineBusyNs: machineNs - start.machineNs }),
  };
}

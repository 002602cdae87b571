import { setTimeout as sleep } from 'node:timers/promises';
import { Client, Pool, type Dispatcher } from 'undici';
import type { Bound } from './bench-profile.ts';
import { batchesBetween, parseBatchHistogram, type BatchHistogram } from './batch-histogram.ts';
import type { RequestSpec } from './inference-request.ts';
import { runOpenLoop, type OpenLoopJob, type OpenLoopResult } from './open-loop.ts';
import { summarize, type Summary } from './percentiles.ts';
import {
  cpuBetween,
  readMachineBusyNs,
  readProcessesCpuNs,
  readThreadCpu,
  type CpuSplit,
  type ThreadCpu,
} from './proc-stats.ts';
import { DISPATCHER_OPTIONS, isSuccess, requester, statusRequester, type FailureCounts } from './request-sender.ts';

/** One request at a time over one keep-alive connection. */
export type SequentialJob = {
  kind: 'sequential';
  origin: string;
  request: RequestSpec;
  warmup: Bound;
  window: Bound;
  /** A process whose CPU time is sampled around the measured window (the server under test). */
  cpuPid?: number;
};

export type SequentialResult = {
  requests: number;
  failures: number;
  elapsedMs: number;
  latencyMs: Summary;
  /** CPU the `cpuPid` process used in the window. */
  serverCpu?: CpuSplit;
};

/** `connections` clients, each sending its next request as soon as its previous one is answered. */
export type ConcurrentJob = {
  kind: 'concurrent';
  origin: string;
  request: RequestSpec;
  rowsPerRequest: number;
  connections: number;
  warmupMs: number;
  windowMs: number;
  /** A request sent one at a time on its own connection during the window, e.g. a liveness check. */
  probe?: { request: RequestSpec; intervalMs: number };
  /** A model whose `scorer_batch_rows` histogram is scraped from `/metrics` at both ends of the window. */
  batchesOf?: string;
  cpuPid?: number;
  /** Processes the server under test calls (e.g. mock upstreams); their CPU in the window is summed. */
  stackPids?: readonly number[];
};

export type ConcurrentResult = {
  /** Requests answered 2xx inside the window. */
  requests: number;
  failures: number;
  /** The window's failures by response status. */
  failuresBy: FailureCounts;
  /** Every request sent, warm-up included. */
  sent: number;
  rowsPerSecond: number;
  latencyMs: Summary;
  probeLatencyMs?: Summary;
  batches?: BatchHistogram;
  serverCpu?: CpuSplit;
  /** CPU the `stackPids` processes used in the window, together. */
  stackCpuNs?: number;
  /** This client process's own CPU in the window, to show it was not the bottleneck. */
  clientCpuNs: number;
  /** CPU the whole machine used in the window (every process, ours included), when /proc/stat is readable. */
  machineBusyNs?: number;
};

export type LoadJob = SequentialJob | ConcurrentJob | OpenLoopJob;
export type LoadResult = SequentialResult | ConcurrentResult | OpenLoopResult;

/** Runs one load job (see {@link runSequential}, {@link runConcurrent} and {@link runOpenLoop}). */
export function runLoadJob(job: LoadJob): Promise<LoadResult> {
  switch (job.kind) {
    case 'sequential':
      return runSequential(job);
    case 'concurrent':
      return runConcurrent(job);
    case 'open':
      return runOpenLoop(job);
  }
}

/**
 * Sends the request one at a time and times each from dispatch to the last byte of the response. Warm-up
 * requests (new connection, JIT) are not counted. Both loops are bounded in requests and in time.
 */
export async function runSequential(job: SequentialJob): Promise<SequentialResult> {
  const client = new Client(job.origin, DISPATCHER_OPTIONS);
  try {
    const send = requester(client, job.request);
    const warmupEnd = performance.now() + job.warmup.ms;
    for (let i = 0; i < job.warmup.requests && performance.now() < warmupEnd; i++) await send();

    const samples: number[] = [];
    let failures = 0;
    const cpuBefore = sampleCpu(job.cpuPid);
    const started = performance.now();
    const deadline = started + job.window.ms;
    while (samples.length + failures < job.window.requests && performance.now() < deadline) {
      const sentAt = performance.now();
      const ok = await send();
      if (ok) samples.push(performance.now() - sentAt);
      else failures++;
    }
    const elapsedMs = performance.now() - started;
    const cpuAfter = sampleCpu(job.cpuPid);
    return {
      requests: samples.length,
      failures,
      elapsedMs,
      latencyMs: summarize(samples),
      ...(cpuBefore && cpuAfter && { serverCpu: cpuBetween(cpuBefore, cpuAfter) }),
    };
  } finally {
    await client.close();
  }
}

/**
 * Keeps `connections` requests in flight for the warm-up and the window; counts and times the responses that
 * complete inside the window. Samples the server's CPU and batch histogram at the window's ends.
 */
export async function runConcurrent(job: ConcurrentJob): Promise<ConcurrentResult> {
  const pool = new Pool(job.origin, { ...DISPATCHER_OPTIONS, connections: job.connections });
  const side = new Client(job.origin, DISPATCHER_OPTIONS);
  try {
    const send = statusRequester(pool, job.request);
    const windowStart = performance.now() + job.warmupMs;
    const windowEnd = windowStart + job.windowMs;
    const latencies: number[] = [];
    let failures = 0;
    const failuresBy: FailureCounts = {};
    let sent = 0;
    const stackPids = job.stackPids ?? [];

    const atWindowEdges = async () => {
      await sleep(Math.max(0, windowStart - performance.now()));
      const start = {
        cpu: sampleCpu(job.cpuPid),
        stackNs: readProcessesCpuNs(stackPids),
        client: process.cpuUsage(),
        machineNs: readMachineBusyNs(),
        batches: await scrape(side, job.batchesOf),
      };
      await sleep(Math.max(0, windowEnd - performance.now()));
      const cpu = sampleCpu(job.cpuPid);
      const stackNs = readProcessesCpuNs(stackPids);
      const client = process.cpuUsage(start.client);
      const machineNs = readMachineBusyNs();
      const batches = await scrape(side, job.batchesOf);
      return {
        clientCpuNs: (client.user + client.system) * 1000,
        ...(start.machineNs !== undefined && machineNs !== undefined && { machineBusyNs: machineNs - start.machineNs }),
        ...(start.cpu && cpu && { serverCpu: cpuBetween(start.cpu, cpu) }),
        ...(stackPids.length > 0 && { stackCpuNs: stackNs - start.stackNs }),
        ...(start.batches && batches && { batches: batchesBetween(start.batches, batches) }),
      };
    };
    const clientLoop = async () => {
      while (performance.now() < windowEnd) {
        const sentAt = performance.now();
        sent++;
        const status = await send();
        const doneAt = performance.now();
        if (doneAt < windowStart || doneAt > windowEnd) continue;
        if (isSuccess(status)) latencies.push(doneAt - sentAt);
        else {
          failures++;
          failuresBy[status] = (failuresBy[status] ?? 0) + 1;
        }
      }
    };
    const probe = job.probe && probeLoop(job.origin, job.probe, windowStart, windowEnd);
    const [edges, probeSamples] = await Promise.all([
      atWindowEdges(),
      probe,
      ...Array.from({ length: job.connections }, clientLoop),
    ]);
    return {
      requests: latencies.length,
      failures,
      failuresBy,
      sent,
      rowsPerSecond: (latencies.length * job.rowsPerRequest * 1000) / job.windowMs,
      latencyMs: summarize(latencies),
      ...(probeSamples && { probeLatencyMs: summarize(probeSamples) }),
      ...edges,
    };
  } finally {
    await Promise.all([pool.close(), side.close()]);
  }
}

/** Times the probe request on a connection of its own, so it never queues behind load or a metrics scrape. */
async function probeLoop(
  origin: string,
  probe: NonNullable<ConcurrentJob['probe']>,
  windowStart: number,
  windowEnd: number,
): Promise<number[]> {
  const client = new Client(origin, DISPATCHER_OPTIONS);
  try {
    const send = requester(client, probe.request);
    await send();
    const samples: number[] = [];
    await sleep(Math.max(0, windowStart - performance.now()));
    while (performance.now() < windowEnd) {
      const sentAt = performance.now();
      if (!(await send())) throw new Error(`probe ${probe.request.path} failed`);
      samples.push(performance.now() - sentAt);
      await sleep(probe.intervalMs);
    }
    return samples;
  } finally {
    await client.close();
  }
}

async function scrape(client: Dispatcher, model: string | undefined): Promise<BatchHistogram | undefined> {
  if (model === undefined) return undefined;
  const response = await client.request({ method: 'GET', path: '/metrics' });
  return parseBatchHistogram(await response.body.text(), model);
}

function sampleCpu(pid: number | undefined): ThreadCpu[] | undefined {
  return pid === undefined ? undefined : readThreadCpu(pid);
}

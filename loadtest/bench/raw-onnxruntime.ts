import ort from 'onnxruntime-node';
import { featureRows } from './inference-request.ts';
import type { Bound } from './bench-profile.ts';
import { summarize, type Summary } from './percentiles.ts';
import { cpuBetween, readThreadCpu, type CpuSplit } from './proc-stats.ts';

/**
 * The baseline the scorer is held to: one session with the scorer workers' settings (one intra-op thread), called
 * in-process with no HTTP, no threads and no batching.
 */
export const RAW_SESSION_OPTIONS: ort.InferenceSession.SessionOptions = {
  intraOpNumThreads: 1,
  interOpNumThreads: 1,
  graphOptimizationLevel: 'all',
  executionMode: 'sequential',
};

/** `session.run` one batch at a time on a model with one FP32 `[batch, width]` input. */
export type RawJob = {
  modelPath: string;
  input: string;
  width: number;
  batchSize: number;
  warmup: Bound;
  window: Bound;
};

export type RawResult = {
  runs: number;
  elapsedMs: number;
  /** Wall time of `await session.run(feeds)`. */
  latencyMs: Summary;
  rowsPerSecond: number;
  /** This process's CPU per run: onnxruntime, the binding and the JavaScript around it. */
  cpuPerRunNs: number;
  cpu: CpuSplit;
};

/**
 * Measures raw onnxruntime in this process. Sessions are created once per model file and kept, so rounds reuse
 * warm sessions the way the scorer's workers do. Rejects when the model cannot be loaded or run.
 */
export function createRawRunner(): (job: RawJob) => Promise<RawResult> {
  const sessions = new Map<string, Promise<ort.InferenceSession>>();
  return async function runRaw(job) {
    let session = sessions.get(job.modelPath);
    if (session === undefined) {
      session = ort.InferenceSession.create(job.modelPath, RAW_SESSION_OPTIONS);
      sessions.set(job.modelPath, session);
    }
    const ready = await session;
    const feeds = {
      [job.input]: new ort.Tensor('float32', featureRows(job.batchSize, job.width), [job.batchSize, job.width]),
    };
    const warmupEnd = performance.now() + job.warmup.ms;
    for (let i = 0; i < job.warmup.requests && performance.now() < warmupEnd; i++) await ready.run(feeds);

    const samples: number[] = [];
    const cpuBefore = readThreadCpu(process.pid);
    const started = performance.now();
    const deadline = started + job.window.ms;
    while (samples.length < job.window.requests && performance.now() < deadline) {
      const runAt = performance.now();
      await ready.run(feeds);
      samples.push(performance.now() - runAt);
    }
    const elapsedMs = performance.now() - started;
    const cpu = cpuBetween(cpuBefore, readThreadCpu(process.pid));
    return {
      runs: samples.length,
      elapsedMs,
      latencyMs: summarize(samples),
      rowsPerSecond: (samples.length * job.batchSize * 1000) / elapsedMs,
      cpuPerRunNs: cpu.totalNs / samples.length,
      cpu,
    };
  };
}

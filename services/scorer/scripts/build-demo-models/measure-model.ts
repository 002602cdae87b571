import * as ort from 'onnxruntime-node';
import { performance } from 'node:perf_hooks';

/** The scorer's per-worker session settings: one thread, so one worker ≈ one core. */
export const SINGLE_THREAD_SESSION_OPTIONS: ort.InferenceSession.SessionOptions = {
  intraOpNumThreads: 1,
  interOpNumThreads: 1,
  graphOptimizationLevel: 'all',
  executionMode: 'sequential',
};

export interface BatchTiming {
  batchSize: number;
  /** Median wall time of one `session.run` (a single-threaded session, so ≈ CPU time). */
  medianMsPerRun: number;
  /** Mean process CPU time (user + system) per run; above the wall time if anything else in the process is busy. */
  cpuMsPerRun: number;
  /** `batchSize / medianMsPerRun`, in rows per second. */
  rowsPerSecond: number;
}

export interface MeasureOptions {
  batchSizes: readonly number[];
  /** Timed runs per batch size; medians shrug off a noisy shared machine. */
  runs?: number;
  warmupRuns?: number;
}

/**
 * Times an FP32 `[batch, width]` → anything model with the scorer's session settings, feeding deterministic
 * pseudo-random inputs. Throws if the model cannot be loaded or run.
 */
export async function measureModel(
  model: Uint8Array,
  inputName: string,
  width: number,
  options: MeasureOptions,
): Promise<BatchTiming[]> {
  const session = await ort.InferenceSession.create(model, SINGLE_THREAD_SESSION_OPTIONS);
  try {
    const timings: BatchTiming[] = [];
    for (const batchSize of options.batchSizes) {
      const data = Float32Array.from({ length: batchSize * width }, (_, i) => Math.sin(i * 12.9898) * 0.5);
      const feeds = { [inputName]: new ort.Tensor('float32', data, [batchSize, width]) };
      for (let i = 0; i < (options.warmupRuns ?? 3); i++) await session.run(feeds);
      const samples: number[] = [];
      const cpuStart = process.cpuUsage();
      for (let i = 0; i < (options.runs ?? 15); i++) {
        const start = performance.now();
        await session.run(feeds);
        samples.push(performance.now() - start);
      }
      const cpu = process.cpuUsage(cpuStart);
      samples.sort((a, b) => a - b);
      const medianMsPerRun = samples[Math.floor(samples.length / 2)] ?? Number.NaN;
      timings.push({
        batchSize,
        medianMsPerRun,
        cpuMsPerRun: (cpu.user + cpu.system) / 1000 / samples.length,
        rowsPerSecond: (batchSize * 1000) / medianMsPerRun,
      });
    }
    return timings;
  } finally {
    await session.release();
  }
}

import type { TensorArray } from '@splitserve/contracts';

/**
 * Messages between the host (pool/) and an inference worker thread (worker/). Tensor buffers travel in the
 * transfer list, never by structured-clone copy.
 */

/** onnxruntime's name for a tensor element type. */
export type OrtType =
  | 'bool'
  | 'uint8'
  | 'int8'
  | 'uint16'
  | 'int16'
  | 'uint32'
  | 'int32'
  | 'uint64'
  | 'int64'
  | 'float16'
  | 'float32'
  | 'float64'
  | 'string';

/** A tensor on its way into or out of a session. */
export type WireTensor = { type: OrtType; dims: number[]; data: TensorArray | string[] };

/** A model input or output as the session reports it; string dimensions are symbolic (any size). */
export type WireValueInfo = { name: string; type: string; isTensor: boolean; shape: (number | string)[] };

/** `workerData` of an inference worker. */
export type WorkerInit = {
  modelPath: string;
  intraOpThreads: number;
  /** Niceness of the inference thread (0 = the host's, 19 = lowest), so the event loop wins the CPU. */
  nice: number;
  warmupRuns: number;
  /** Rows per warm-up run besides 1, so the largest batch's buffers are allocated before traffic. */
  warmupBatchRows: number;
};

/** Test-only fault a batch may carry: the worker dies while holding it. */
export type WorkerFault = 'exit' | 'throw';

export type HostMessage = {
  type: 'run';
  batchId: number;
  inputs: Record<string, WireTensor>;
  outputNames: string[];
  fault?: WorkerFault;
};

/** One timed warm-up run: its rows and milliseconds. */
export type WarmupRun = { rows: number; ms: number };

export type WorkerMessage =
  | { type: 'ready'; inputs: WireValueInfo[]; outputs: WireValueInfo[]; warmup: WarmupRun[] }
  | { type: 'load-failed'; message: string }
  | { type: 'result'; batchId: number; ok: true; outputs: Record<string, WireTensor>; computeMs: number }
  | { type: 'result'; batchId: number; ok: false; code: 'INFERENCE_FAILED'; message: string };

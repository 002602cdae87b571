import type { WireTensor, WorkerFault } from '../worker/protocol.ts';

/** One validated inference request, ready to be queued. */
export type InferenceJob = {
  /** Input tensors by name; for a batching model the first dimension of each is this job's rows. */
  inputs: Record<string, WireTensor>;
  rows: number;
  /** Jobs stack into one batch only when their inputs agree on every dimension but the first. */
  shapeKey: string;
  outputNames: string[];
  /** `performance.now()` time by which the job must be answered. */
  deadlineAt: number;
  fault?: WorkerFault;
};

/** A finished job: its own slice of the batch's outputs and where its time went. */
export type JobResult = {
  outputs: Record<string, WireTensor>;
  queueMs: number;
  computeMs: number;
  batchRows: number;
};

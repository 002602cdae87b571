import { z } from 'zod';

/**
 * `<model>/config.json`: optional settings of one model, for every version of it. Unknown keys are kept (a config
 * may document its features or labels for people) and ignored.
 */
export const modelConfigSchema = z.looseObject({
  /** Class labels per output name, reported in the model's metadata. */
  labels: z.record(z.string(), z.array(z.string())).optional(),
  /** Most rows in one run; requests carrying more are refused with 400. 0 or 1 turns batching off. */
  maxBatchSize: z.number().int().min(0).max(4096).optional(),
  /** Longest a request waits for others to batch with when a worker is free; 0 never waits. */
  maxQueueDelayMs: z.number().min(0).max(10_000).optional(),
  /**
   * With `maxQueueDelayMs` 0, lets a free worker wait for company while other batches run and the model's measured
   * costs say a bigger batch is worth it; never when nothing else is running.
   */
  adaptiveBatching: z.boolean().optional(),
  /** Requests that may wait for a worker before new ones get 503. */
  maxQueueSize: z.number().int().min(1).max(100_000).optional(),
  /** Worker threads per version, each with its own session (and its own copy of the weights). */
  instances: z.number().int().min(1).max(256).optional(),
  /** onnxruntime intra-op threads per session. */
  intraOpThreads: z.number().int().min(1).max(256).optional(),
  /** Warm-up runs per worker before it is ready, at one row and at `maxBatchSize` rows. */
  warmupRuns: z.number().int().min(0).max(100).optional(),
});

export type ModelConfig = z.infer<typeof modelConfigSchema>;

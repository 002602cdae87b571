import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

const DEMO_REPOSITORY = fileURLToPath(new URL('../model-repository', import.meta.url));

const booleanFlag = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');
const integer = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

const environmentSchema = z.object({
  PORT: integer(0, 65_535).default(8081),
  HOST: z.string().min(1).default('0.0.0.0'),
  MODEL_REPOSITORY: z.string().min(1).default(DEMO_REPOSITORY),
  LOG_LEVEL: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).default('info'),
  MAX_BODY_BYTES: integer(1024, 1024 ** 3).default(32 * 1024 * 1024),
  DEFAULT_TIMEOUT_MS: integer(1, 3_600_000).default(10_000),
  MAX_TIMEOUT_MS: integer(1, 3_600_000).default(60_000),
  SCORER_INSTANCES: integer(1, 256).default(availableParallelism()),
  SCORER_INTRA_OP_THREADS: integer(1, 256).default(1),
  SCORER_MAX_BATCH_SIZE: integer(0, 4096).default(32),
  SCORER_MAX_QUEUE_DELAY_MS: z.coerce.number().min(0).max(10_000).default(0),
  SCORER_ADAPTIVE_BATCHING: booleanFlag.default(true),
  SCORER_WARMUP_RUNS: integer(0, 100).default(2),
  // The lowest priority: the event loop (liveness, parsing, answers) preempts inference at once. Measured under 64
  // clients on the 30 ms model (loadtest/bench/scorer-compare.ts --liveness): liveness p99 10.3 ms at nice 0, 6.9 at
  // 5, 4.5 at 10, 4.2-5.1 at 19, with no loss of throughput (workers still take every CPU the event loop leaves). A
  // lone request runs as fast at 19 as at 0 while nothing else wants the CPUs (3 ms model: p50 4.58 vs 4.47 ms, within
  // noise). Only CPU-bound nice-0 work in the same session on every CPU starves it (p50 226 ms at 19, 30 ms at 10,
  // 5.7 ms at 0 with two busy loops), which a Cloud Run instance serving only the scorer never has.
  SCORER_WORKER_NICE: integer(0, 19).default(19),
  SHUTDOWN_TIMEOUT_MS: integer(0, 3_600_000).default(9_000),
  SCORER_FAULT_INJECTION: booleanFlag.default(false),
  GOOGLE_CLOUD_PROJECT: z.string().min(1).optional(),
});

/** The scorer's settings, parsed once from the environment at start-up. */
export type ScorerConfig = Readonly<{
  port: number;
  host: string;
  modelRepository: string;
  logLevel: string;
  maxBodyBytes: number;
  defaultTimeoutMs: number;
  maxTimeoutMs: number;
  modelDefaults: {
    instances: number;
    intraOpThreads: number;
    maxBatchSize: number;
    maxQueueDelayMs: number;
    adaptiveBatching: boolean;
    warmupRuns: number;
    workerNice: number;
  };
  shutdownTimeoutMs: number;
  faultInjection: boolean;
  projectId: string | undefined;
}>;

/** Every environment variable the scorer reads. */
export const SCORER_ENVIRONMENT = Object.keys(environmentSchema.shape);

/**
 * Reads and validates the environment. Throws an error naming each bad variable; unset ones take their defaults.
 */
export function loadConfig(env: NodeJS.ProcessEnv): ScorerConfig {
  const picked = Object.fromEntries(SCORER_ENVIRONMENT.map((key) => [key, env[key] === '' ? undefined : env[key]]));
  const parsed = environmentSchema.safeParse(picked);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new Error(`invalid scorer configuration: ${problems.join('; ')}`);
  }
  const e = parsed.data;
  return Object.freeze({
    port: e.PORT,
    host: e.HOST,
    modelRepository: e.MODEL_REPOSITORY,
    logLevel: e.LOG_LEVEL,
    maxBodyBytes: e.MAX_BODY_BYTES,
    defaultTimeoutMs: Math.min(e.DEFAULT_TIMEOUT_MS, e.MAX_TIMEOUT_MS),
    maxTimeoutMs: e.MAX_TIMEOUT_MS,
    modelDefaults: Object.freeze({
      instances: e.SCORER_INSTANCES,
      intraOpThreads: e.SCORER_INTRA_OP_THREADS,
      maxBatchSize: e.SCORER_MAX_BATCH_SIZE,
      maxQueueDelayMs: e.SCORER_MAX_QUEUE_DELAY_MS,
      adaptiveBatching: e.SCORER_ADAPTIVE_BATCHING,
      warmupRuns: e.SCORER_WARMUP_RUNS,
      workerNice: e.SCORER_WORKER_NICE,
    }),
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    faultInjection: e.SCORER_FAULT_INJECTION,
    projectId: e.GOOGLE_CLOUD_PROJECT,
  });
}

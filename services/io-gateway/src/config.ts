import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { loadPipeline } from './features/load-pipeline.ts';
import type { Pipeline } from './features/pipeline-schema.ts';
import type { DependencySettings } from './upstream/dependency.ts';

const DEMO_PIPELINE = fileURLToPath(new URL('../pipelines/interests.yaml', import.meta.url));

const integer = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
const booleanFlag = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');
const origin = z
  .url({ protocol: /^https?$/ })
  .refine((value) => new URL(value).pathname === '/' && !new URL(value).username, 'must be an http(s) origin')
  .transform((value) => new URL(value).origin);

const environmentSchema = z.object({
  PORT: integer(0, 65_535).default(8080),
  HOST: z.string().min(1).default('0.0.0.0'),
  LOG_LEVEL: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).default('info'),
  PIPELINES: z.string().min(1).default(DEMO_PIPELINE),
  SCORER_URL: origin.default('http://127.0.0.1:8081'),
  SCORER_AUTH: z.enum(['none', 'google-id-token']).default('none'),
  SCORER_AUDIENCE: z.url().optional(),
  // The ID-token URL is built from it: a path, query or credentials here would send token requests elsewhere.
  GCE_METADATA_HOST: z
    .string()
    .regex(
      /^(?:[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/,
      'must be a host or host:port',
    )
    .default('metadata.google.internal'),
  SCORER_TIMEOUT_MS: integer(1, 60_000).default(1_000),
  SCORER_MAX_ATTEMPTS: integer(1, 5).default(2),
  SCORER_CONNECTIONS: integer(1, 10_000).default(64),
  SCORER_MAX_IN_FLIGHT: integer(1, 100_000).default(512),
  REQUEST_TIMEOUT_MS: integer(1, 600_000).default(1_000),
  MAX_BODY_BYTES: integer(256, 64 * 1024 * 1024).default(256 * 1024),
  BATCH_MAX_ENTITIES: integer(1, 1_000).default(100),
  BATCH_FETCH_CONCURRENCY: integer(1, 1_000).default(32),
  API_KEYS: z.string().optional(),
  SHUTDOWN_TIMEOUT_MS: integer(0, 3_600_000).default(9_000),
  SHED_EVENT_LOOP_LAG_MS: integer(0, 60_000).default(100),
  GATEWAY_FAULT_INJECTION: booleanFlag.default(false),
  GOOGLE_CLOUD_PROJECT: z.string().min(1).optional(),
});

/** Every environment variable the gateway's own config reads (pipelines read their `baseUrlEnv` ones too). */
export const GATEWAY_ENVIRONMENT = Object.keys(environmentSchema.shape);

/** The gateway's settings, parsed once at start-up. */
export type GatewayConfig = Readonly<{
  port: number;
  host: string;
  logLevel: string;
  /** The first one answers requests that name no model. */
  pipelines: readonly Pipeline[];
  scorer: {
    url: string;
    auth: { kind: 'none' } | { kind: 'google-id-token'; audience: string; metadataHost: string };
    connections: number;
    policy: DependencySettings;
  };
  requestTimeoutMs: number;
  maxBodyBytes: number;
  batchMaxEntities: number;
  batchFetchConcurrency: number;
  /** Client API keys; empty when the API is open. Never logged. */
  apiKeys: readonly string[];
  shutdownTimeoutMs: number;
  /** New /v1 requests are shed (503) while the event loop's lag stays above this; 0 never sheds. */
  shedEventLoopLagMs: number;
  /** Mounts the test-only route that blocks the event loop. Never enable in production. */
  faultInjection: boolean;
  projectId: string | undefined;
}>;

/**
 * Reads the environment and the pipeline files. Throws an error naming each bad variable, or the pipeline file and
 * field at fault.
 */
export async function loadConfig(env: Readonly<Record<string, string | undefined>>): Promise<GatewayConfig> {
  const picked = Object.fromEntries(GATEWAY_ENVIRONMENT.map((key) => [key, env[key] === '' ? undefined : env[key]]));
  const parsed = environmentSchema.safeParse(picked);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new Error(`invalid gateway configuration: ${problems.join('; ')}`);
  }
  const e = parsed.data;
  const pipelines = await Promise.all(
    e.PIPELINES.split(',')
      .map((path) => path.trim())
      .filter((path) => path !== '')
      .map((path) => loadPipeline(path, env)),
  );
  const names = pipelines.map((p) => p.name);
  const duplicate = names.find((name, i) => names.indexOf(name) !== i);
  if (duplicate !== undefined)
    throw new Error(`invalid gateway configuration: PIPELINES: two pipelines are named '${duplicate}'`);
  return Object.freeze({
    port: e.PORT,
    host: e.HOST,
    logLevel: e.LOG_LEVEL,
    pipelines,
    scorer: {
      url: e.SCORER_URL,
      auth:
        e.SCORER_AUTH === 'none'
          ? { kind: 'none' as const }
          : {
              kind: 'google-id-token' as const,
              audience: e.SCORER_AUDIENCE ?? e.SCORER_URL,
              metadataHost: e.GCE_METADATA_HOST,
            },
      connections: e.SCORER_CONNECTIONS,
      policy: {
        timeoutMs: e.SCORER_TIMEOUT_MS,
        retry: { maxAttempts: e.SCORER_MAX_ATTEMPTS, initialDelayMs: 10, maxDelayMs: 200 },
        breaker: { failureRatio: 0.5, minimumRequests: 20, windowMs: 10_000, halfOpenAfterMs: 5_000 },
        bulkhead: { maxConcurrent: e.SCORER_MAX_IN_FLIGHT, maxQueued: e.SCORER_MAX_IN_FLIGHT * 2 },
        retryBudget: { ratio: 0.2, minPerSecond: 1 },
      },
    },
    requestTimeoutMs: e.REQUEST_TIMEOUT_MS,
    maxBodyBytes: e.MAX_BODY_BYTES,
    batchMaxEntities: e.BATCH_MAX_ENTITIES,
    batchFetchConcurrency: e.BATCH_FETCH_CONCURRENCY,
    apiKeys: (e.API_KEYS ?? '')
      .split(',')
      .map((key) => key.trim())
      .filter((key) => key !== ''),
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    shedEventLoopLagMs: e.SHED_EVENT_LOOP_LAG_MS,
    faultInjection: e.GATEWAY_FAULT_INJECTION,
    projectId: e.GOOGLE_CLOUD_PROJECT,
  });
}

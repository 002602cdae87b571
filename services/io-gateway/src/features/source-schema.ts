import { z } from 'zod';
import { RESERVED_KEYS } from './reserved-keys.ts';

/**
 * Why `baseUrl` (or the value of its override variable) is unusable, or `undefined` when it is a plain http(s)
 * origin. Only an origin is accepted so that each source maps to exactly one connection pool; a path prefix goes in
 * `path` instead.
 */
export function baseUrlProblem(value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'not a valid URL';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'must use http or https';
  if (url.username !== '' || url.password !== '') return 'must not carry credentials';
  if (url.pathname !== '/' || url.search !== '' || url.hash !== '') {
    return 'must be an origin (scheme://host[:port]) without path, query or fragment; put prefixes in `path`';
  }
  return undefined;
}

/** Why a `path` template is unusable, or `undefined` when it is fine. */
function pathProblem(path: string): string | undefined {
  if (!path.startsWith('/')) return 'must start with /';
  // `//host/...` would be resolved as a different origin by URL parsers.
  if (path.startsWith('//')) return 'must not start with //';
  if (/[\s#\\]/.test(path)) return 'must not contain whitespace, # or \\';
  const pieces = path.split('{entityId}');
  if (pieces.length > 2) return 'may contain {entityId} at most once';
  if (pieces.some((piece) => piece.includes('{') || piece.includes('}'))) {
    return 'only {entityId} may be substituted';
  }
  return undefined;
}

const baseUrlSchema = z
  .string()
  .superRefine((value, ctx) => {
    const problem = baseUrlProblem(value);
    if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem });
  })
  .transform((value) => new URL(value).origin);

const pathSchema = z
  .string()
  .max(2048)
  .superRefine((value, ctx) => {
    const problem = pathProblem(value);
    if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem });
  });

const retrySchema = z
  .strictObject({
    maxAttempts: z
      .number()
      .int()
      .min(1)
      .max(5)
      .default(2)
      .meta({ description: 'Attempts in all, the first included.' }),
    initialDelayMs: z
      .number()
      .int()
      .min(0)
      .max(10_000)
      .default(10)
      .meta({ description: 'Back-off before the first retry; later ones grow up to maxDelayMs.' }),
    maxDelayMs: z.number().int().min(0).max(60_000).default(100).meta({ description: 'Upper bound of one back-off.' }),
  })
  .superRefine((retry, ctx) => {
    if (retry.maxDelayMs < retry.initialDelayMs) {
      ctx.addIssue({ code: 'custom', path: ['maxDelayMs'], message: 'must be at least initialDelayMs' });
    }
  });

const breakerSchema = z.strictObject({
  failureRatio: z
    .number()
    .gt(0)
    .lt(1)
    .default(0.5)
    .meta({ description: 'Share of failed calls in the window that opens the circuit.' }),
  minimumRequests: z
    .number()
    .int()
    .min(1)
    .max(100_000)
    .default(20)
    .meta({ description: 'Calls the window must hold before the ratio can open the circuit.' }),
  windowMs: z.number().int().min(100).max(600_000).default(10_000).meta({ description: 'Sliding window length.' }),
  halfOpenAfterMs: z
    .number()
    .int()
    .min(100)
    .max(600_000)
    .default(5_000)
    .meta({ description: 'Time open before one trial call is let through.' }),
});

const bulkheadSchema = z.strictObject({
  maxConcurrent: z
    .number()
    .int()
    .min(1)
    .max(100_000)
    .default(512)
    .meta({ description: 'Calls in flight to this source at once.' }),
  maxQueued: z
    .number()
    .int()
    .min(0)
    .max(1_000_000)
    .default(1024)
    .meta({ description: 'Calls waiting for a slot before new ones are rejected.' }),
});

/** Latency percentiles a hedge may wait for, measured per source. */
export const HEDGE_PERCENTILES = ['p50', 'p75', 'p90', 'p95', 'p99'] as const;
export type HedgePercentile = (typeof HEDGE_PERCENTILES)[number];

const hedgeSchema = z.strictObject({
  afterMs: z
    .union([z.enum(HEDGE_PERCENTILES), z.number().int().min(1).max(60_000)], {
      error: `must be one of ${HEDGE_PERCENTILES.join(', ')} or whole milliseconds from 1 to 60000`,
    })
    .default('p95')
    .meta({ description: 'When a second copy of a slow GET is sent: a fixed delay, or an observed percentile.' }),
  maxExtraPercent: z
    .number()
    .min(0)
    .max(100)
    .default(10)
    .meta({ description: 'Hedged calls as a share of all calls, at most.' }),
});

/** One feature source: an HTTP JSON service fetched with `GET baseUrl + path` per entity. */
export const sourceSchema = z
  .strictObject({
    baseUrl: baseUrlSchema.meta({ description: 'Origin of the service, e.g. http://127.0.0.1:8091.' }),
    baseUrlEnv: z
      .string()
      .regex(/^[A-Za-z_][A-Za-z0-9_]{0,127}$/, 'must be an environment variable name')
      .optional()
      .meta({ description: 'Environment variable that overrides baseUrl when set and non-empty.' }),
    path: pathSchema.meta({
      description: 'Request path; {entityId} (at most once) is replaced by the URL-encoded id.',
    }),
    required: z
      .boolean()
      .default(true)
      .meta({ description: 'A failed required source fails the request; an optional one falls back to defaults.' }),
    defaults: z
      .record(z.string(), z.json())
      .optional()
      .meta({ description: 'Body used when an optional source fails. Required for, and only allowed on, those.' }),
    timeoutMs: z.number().int().min(1).max(60_000).default(250).meta({ description: 'Time limit of one attempt.' }),
    retry: retrySchema.prefault({}).meta({ description: 'Retries of failed attempts within the request deadline.' }),
    breaker: breakerSchema
      .prefault({})
      .meta({ description: 'Circuit breaker: stop calling a failing source a while.' }),
    bulkhead: bulkheadSchema
      .prefault({})
      .meta({ description: 'Concurrency limit, so one slow source cannot eat all.' }),
    hedge: hedgeSchema.optional().meta({ description: 'Send a second GET when the first is slow; off when absent.' }),
    connections: z
      .number()
      .int()
      .min(1)
      .max(4096)
      .default(64)
      .meta({ description: 'Size of the connection pool to this origin.' }),
  })
  .superRefine((source, ctx) => {
    if (!source.required && source.defaults === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['defaults'],
        message: 'required for an optional source (required: false)',
      });
    }
    if (source.required && source.defaults !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['defaults'], message: 'only allowed on an optional source' });
    }
    if (typeof source.hedge?.afterMs === 'number' && source.hedge.afterMs >= source.timeoutMs) {
      ctx.addIssue({ code: 'custom', path: ['hedge', 'afterMs'], message: 'must be below timeoutMs' });
    }
  });

/** A validated source, every policy filled in. `baseUrl` is the effective origin (after the env override). */
export type SourceConfig = z.output<typeof sourceSchema>;
export type RetryConfig = SourceConfig['retry'];
export type BreakerConfig = SourceConfig['breaker'];
export type BulkheadConfig = SourceConfig['bulkhead'];
export type HedgeConfig = NonNullable<SourceConfig['hedge']>;

/** Source names: also the keys of the raw record the vector builder reads. */
export const sourceNameSchema = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9_-]{0,63}$/, 'must be a letter then letters, digits, _ or -, at most 64 characters')
  .refine((name) => !RESERVED_KEYS.has(name), 'is a reserved name');

import { z } from 'zod';

/**
 * How data requests are answered when no error is injected:
 * - `normal`: the data (404 for `missing-*` ids).
 * - `hang`: accept and never answer; the request ends when the client gives up.
 * - `reset`: destroy the connection with a TCP reset, no response.
 * - `garbage`: 200, `Content-Type: application/json`, a body that is not JSON.
 * - `wrong-shape`: 200 with valid JSON of the wrong types.
 * - `slow-body`: headers at once, then the body trickles over ~2 s.
 * - `truncated`: a `Content-Length` larger than the bytes sent, then the connection closes.
 * - `status`: always `errorStatus`.
 */
export const MODES = ['normal', 'hang', 'reset', 'garbage', 'wrong-shape', 'slow-body', 'truncated', 'status'] as const;
export type Mode = (typeof MODES)[number];

/** The switchable behaviour of a source, as `PUT /_admin/behaviour` sets it and every admin answer shows it. */
export type Behaviour = Readonly<{
  /** Added before every data answer, in milliseconds. */
  latencyMs: number;
  /** Uniform ± spread around `latencyMs`, in milliseconds. */
  jitterMs: number;
  /** Share (0..1) of data requests answered `errorStatus`. */
  errorRate: number;
  errorStatus: number;
  /** `Retry-After` seconds on injected errors; null sends none. */
  retryAfterS: number | null;
  mode: Mode;
  /** How many of the next data requests still fail with `errorStatus` before the others rules apply. */
  failFirst: number;
}>;

export const MAX_LATENCY_MS = 600_000;

const milliseconds = z.number().min(0).max(MAX_LATENCY_MS);
const errorRate = z.number().min(0).max(1);
const errorStatus = z.number().int().min(400).max(599);

/** Field ranges shared with the environment variables that set the defaults. */
export const behaviourFieldSchemas = { milliseconds, errorRate, errorStatus } as const;

/** The body of `PUT /_admin/behaviour`: any subset of the fields; unknown fields are rejected to catch typos. */
export const behaviourPatchSchema = z.strictObject({
  latencyMs: milliseconds.optional(),
  jitterMs: milliseconds.optional(),
  errorRate: errorRate.optional(),
  errorStatus: errorStatus.optional(),
  retryAfterS: z.number().int().min(0).max(86_400).nullable().optional(),
  mode: z.enum(MODES).optional(),
  failFirst: z.number().int().min(0).max(1_000_000).optional(),
});
export type BehaviourPatch = z.infer<typeof behaviourPatchSchema>;

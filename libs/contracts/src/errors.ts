import { z } from 'zod';

/**
 * Stable error codes of the scorer. Callers (the gateway among them) match on these, never on messages.
 */
export const SCORER_ERROR_CODES = [
  'INVALID_JSON',
  'INVALID_REQUEST',
  'INVALID_INPUT',
  'MODEL_NOT_FOUND',
  'ROUTE_NOT_FOUND',
  'METHOD_NOT_ALLOWED',
  'PAYLOAD_TOO_LARGE',
  'UNSUPPORTED_MEDIA_TYPE',
  'OVERLOADED',
  'MODEL_NOT_READY',
  'SHUTTING_DOWN',
  'DEADLINE_EXCEEDED',
  'WORKER_DIED',
  'INFERENCE_FAILED',
  'INTERNAL',
] as const;

/** One of {@link SCORER_ERROR_CODES}. */
export type ScorerErrorCode = (typeof SCORER_ERROR_CODES)[number];

/**
 * The scorer's error body: `error` as Triton, KServe and MLServer send it, plus a stable `code`.
 */
export const scorerErrorBodySchema = z.object({
  error: z.string(),
  code: z.enum(SCORER_ERROR_CODES),
});
export type ScorerErrorBody = z.infer<typeof scorerErrorBodySchema>;

import { z } from 'zod';

/**
 * The io-gateway's public REST API (`/v1`). These schemas validate requests and generate the OpenAPI document.
 */

const ENTITY_ID = /^[A-Za-z0-9][A-Za-z0-9._:@-]{0,127}$/;
const MODEL_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/;
const MAX_TOP_K = 1000;

/** Entity ids are path-safe tokens: they are substituted into feature-source URLs. */
export const entityIdSchema = z
  .string()
  .regex(ENTITY_ID, 'letters, digits and . _ : @ - only, at most 128 characters')
  .meta({ description: 'The entity (user) to score.', example: 'u-42' });

const modelNameSchema = z
  .string()
  .regex(MODEL_NAME)
  .meta({ description: 'Pipeline to score with; the configured default when absent.', example: 'interests' });

const topKSchema = z
  .number()
  .int()
  .min(1)
  .max(MAX_TOP_K)
  .meta({ description: 'Return only the K highest scores.', example: 5 });

/** `POST /v1/score` body. */
export const scoreRequestSchema = z.strictObject({
  entityId: entityIdSchema,
  model: modelNameSchema.optional(),
  topK: topKSchema.optional(),
});
export type ScoreRequest = z.infer<typeof scoreRequestSchema>;

/**
 * Whether parsed JSON is a `POST /v1/score` body, checked by hand: the rules of {@link scoreRequestSchema} at a
 * fraction of its cost, for the gateway's hot path. It never accepts what the schema refuses (a property test holds
 * it to that); what it refuses goes through the schema, which words the error.
 */
export function isScoreRequest(value: unknown): value is ScoreRequest {
  if (typeof value !== 'object' || value === null || Object.getPrototypeOf(value) !== Object.prototype) return false;
  for (const key in value) if (key !== 'entityId' && key !== 'model' && key !== 'topK') return false;
  const { entityId, model, topK } = value as Record<string, unknown>;
  return (
    typeof entityId === 'string' &&
    ENTITY_ID.test(entityId) &&
    (model === undefined || (typeof model === 'string' && MODEL_NAME.test(model))) &&
    (topK === undefined || (Number.isInteger(topK) && (topK as number) >= 1 && (topK as number) <= MAX_TOP_K))
  );
}

/** One labelled score. */
export const labelScoreSchema = z.object({
  label: z.string(),
  score: z.number(),
});
export type LabelScore = z.infer<typeof labelScoreSchema>;

/** Scores of one entity, highest first. */
export const entityScoresSchema = z.object({
  entityId: z.string(),
  model: z.string(),
  modelVersion: z.string(),
  scores: z.array(labelScoreSchema).meta({ description: 'Sorted from the highest score to the lowest.' }),
  degraded: z
    .array(z.string())
    .meta({ description: 'Optional feature sources that failed; their defaults were used instead.' }),
});
export type EntityScores = z.infer<typeof entityScoresSchema>;

/** `POST /v1/score` answer. */
export const scoreResponseSchema = entityScoresSchema.extend({ requestId: z.string() });
export type ScoreResponse = z.infer<typeof scoreResponseSchema>;

/** Stable error codes of the gateway's problem details. */
export const GATEWAY_ERROR_CODES = [
  'INVALID_JSON',
  'INVALID_REQUEST',
  'UNSUPPORTED_MEDIA_TYPE',
  'PAYLOAD_TOO_LARGE',
  'UNAUTHORIZED',
  'NOT_FOUND',
  'ENTITY_NOT_FOUND',
  'UNKNOWN_MODEL',
  'DEPENDENCY_UNAVAILABLE',
  'CIRCUIT_OPEN',
  'OVERLOADED',
  'DEADLINE_EXCEEDED',
  'SHUTTING_DOWN',
  'INTERNAL',
] as const;
export type GatewayErrorCode = (typeof GATEWAY_ERROR_CODES)[number];

/** RFC 9457 problem details, with the stable `code` and the failing `dependency` when there is one. */
export const problemDetailsSchema = z.object({
  type: z.string().meta({ description: 'A URI naming the problem type.' }),
  title: z.string(),
  status: z.number().int(),
  detail: z.string().optional(),
  code: z.enum(GATEWAY_ERROR_CODES),
  dependency: z.string().optional().meta({ description: 'The dependency that failed, for 503 and 504.' }),
  requestId: z.string().optional(),
});
export type ProblemDetails = z.infer<typeof problemDetailsSchema>;

/** `POST /v1/score/batch` body. */
export const batchScoreRequestSchema = z.strictObject({
  entityIds: z.array(entityIdSchema).min(1).max(1000),
  model: modelNameSchema.optional(),
  topK: topKSchema.optional(),
});
export type BatchScoreRequest = z.infer<typeof batchScoreRequestSchema>;

/** One entity's outcome in a batch: its scores, or the problem that kept it from being scored. */
export const batchItemSchema = z.union([
  entityScoresSchema,
  z.object({ entityId: z.string(), error: problemDetailsSchema }),
]);
export type BatchItem = z.infer<typeof batchItemSchema>;

/** `POST /v1/score/batch` answer: one item per requested entity, in request order. */
export const batchScoreResponseSchema = z.object({
  results: z.array(batchItemSchema),
  requestId: z.string(),
});
export type BatchScoreResponse = z.infer<typeof batchScoreResponseSchema>;

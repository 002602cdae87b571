import { z } from 'zod';
import { DATATYPES } from './datatypes.ts';

/**
 * Open Inference Protocol (KServe V2) REST messages. Shapes follow the spec; `data` is validated element by element
 * against the model by the scorer, so here it is only required to be an array.
 */

/** Free-form `parameters` object of requests, responses, tensors and metadata. */
export const parametersSchema = z.record(z.string(), z.unknown());
export type Parameters = z.infer<typeof parametersSchema>;

/** A tensor datatype of the spec. */
export const datatypeSchema = z.enum(DATATYPES);

/** Rank is capped so that a hostile shape cannot make shape arithmetic expensive. */
export const MAX_TENSOR_RANK = 16;

const tensorNameSchema = z.string().min(1).max(256);

/** Shape of a concrete tensor: non-negative integer dimensions. */
export const tensorShapeSchema = z.array(z.number().int().nonnegative()).max(MAX_TENSOR_RANK);

/** One input tensor of an inference request. `data` may be absent when the tensor travels as binary. */
export const requestInputSchema = z.object({
  name: tensorNameSchema,
  shape: tensorShapeSchema,
  datatype: datatypeSchema,
  parameters: parametersSchema.optional(),
  data: z.array(z.unknown()).optional(),
});
export type RequestInput = z.infer<typeof requestInputSchema>;

/** An output the caller asks for; `parameters.binary_data` asks for it in binary. */
export const requestOutputSchema = z.object({
  name: tensorNameSchema,
  parameters: parametersSchema.optional(),
});
export type RequestOutput = z.infer<typeof requestOutputSchema>;

/**
 * `POST /v2/models/{name}[/versions/{version}]/infer` body (the JSON part, with the binary extension).
 * Request-level parameters this project reads: `timeout` (µs, Triton's schedule policy) and `binary_data_output`.
 */
export const inferenceRequestSchema = z.object({
  id: z.string().max(256).optional(),
  parameters: parametersSchema.optional(),
  inputs: z.array(requestInputSchema).min(1).max(64),
  outputs: z.array(requestOutputSchema).max(64).optional(),
});
export type InferenceRequest = z.infer<typeof inferenceRequestSchema>;

/** One output tensor of an inference response; `data` is absent when the tensor travels as binary. */
export const responseOutputSchema = z.object({
  name: z.string(),
  shape: z.array(z.number().int().nonnegative()),
  datatype: datatypeSchema,
  parameters: parametersSchema.optional(),
  data: z.array(z.unknown()).optional(),
});
export type ResponseOutput = z.infer<typeof responseOutputSchema>;

/** Inference response body (the JSON part, with the binary extension). */
export const inferenceResponseSchema = z.object({
  model_name: z.string(),
  model_version: z.string().optional(),
  id: z.string().optional(),
  parameters: parametersSchema.optional(),
  outputs: z.array(responseOutputSchema),
});
export type InferenceResponse = z.infer<typeof inferenceResponseSchema>;

/** `GET /v2`. */
export const serverMetadataSchema = z.object({
  name: z.string(),
  version: z.string(),
  extensions: z.array(z.string()),
});
export type ServerMetadata = z.infer<typeof serverMetadataSchema>;

/** A model's input or output as its metadata describes it; `-1` marks a dimension of any size. */
export const metadataTensorSchema = z.object({
  name: z.string(),
  datatype: datatypeSchema,
  shape: z.array(z.number().int().min(-1)),
  parameters: parametersSchema.optional(),
});
export type MetadataTensor = z.infer<typeof metadataTensorSchema>;

/**
 * `GET /v2/models/{name}[/versions/{version}]`. This project's `parameters`: `max_batch_size` (rows one request
 * may carry, 0 when the model does not batch) and `labels` (per output name, when the model's config names them).
 */
export const modelMetadataSchema = z.object({
  name: z.string(),
  versions: z.array(z.string()).optional(),
  platform: z.string(),
  inputs: z.array(metadataTensorSchema),
  outputs: z.array(metadataTensorSchema),
  parameters: parametersSchema.optional(),
});
export type ModelMetadata = z.infer<typeof modelMetadataSchema>;

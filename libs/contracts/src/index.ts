export { HEADER, BINARY_INFERENCE_CONTENT_TYPE } from './headers.ts';
export {
  DATATYPES,
  isDatatype,
  elementByteSize,
  elementCount,
  type Datatype,
  type FixedSizeDatatype,
} from './datatypes.ts';
export {
  tensorArrayType,
  decodeFixedSize,
  encodeFixedSize,
  decodeBytesElements,
  encodeBytesElements,
  splitInferenceBody,
  joinInferenceBody,
  type TensorArray,
} from './binary-tensor.ts';
export {
  parametersSchema,
  datatypeSchema,
  tensorShapeSchema,
  requestInputSchema,
  requestOutputSchema,
  inferenceRequestSchema,
  responseOutputSchema,
  inferenceResponseSchema,
  serverMetadataSchema,
  metadataTensorSchema,
  modelMetadataSchema,
  MAX_TENSOR_RANK,
  type Parameters,
  type RequestInput,
  type RequestOutput,
  type InferenceRequest,
  type ResponseOutput,
  type InferenceResponse,
  type ServerMetadata,
  type MetadataTensor,
  type ModelMetadata,
} from './oip.ts';
export { SCORER_ERROR_CODES, scorerErrorBodySchema, type ScorerErrorCode, type ScorerErrorBody } from './errors.ts';

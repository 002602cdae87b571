import { DATATYPES, MAX_TENSOR_RANK, type InferenceRequest } from '@splitserve/contracts';

const DATATYPE_SET: ReadonlySet<unknown> = new Set(DATATYPES);
const MAX_NAME_LENGTH = 256;
const MAX_ID_LENGTH = 256;
const MAX_TENSORS = 64;

/**
 * A hand-written check that a parsed body is an inference request as `inferenceRequestSchema` defines it, strictly
 * (it may refuse what the schema accepts, never the other way round). Zod costs more than the rest of decoding a
 * small request, so a well-formed body skips it; anything else still goes through the schema, which words the 400.
 * Unknown keys are left in place rather than stripped: nothing reads them.
 */
export function isWellFormedRequest(value: unknown): value is InferenceRequest {
  if (!isPlainObject(value)) return false;
  const { id, parameters, inputs, outputs } = value;
  if (id !== undefined && !(typeof id === 'string' && id.length <= MAX_ID_LENGTH)) return false;
  if (parameters !== undefined && !isPlainObject(parameters)) return false;
  if (!Array.isArray(inputs) || inputs.length < 1 || inputs.length > MAX_TENSORS) return false;
  for (const input of inputs) if (!isWellFormedInput(input)) return false;
  if (outputs !== undefined) {
    if (!Array.isArray(outputs) || outputs.length > MAX_TENSORS) return false;
    for (const output of outputs) {
      if (!isPlainObject(output) || !isName(output['name'])) return false;
      if (output['parameters'] !== undefined && !isPlainObject(output['parameters'])) return false;
    }
  }
  return true;
}

function isWellFormedInput(input: unknown): boolean {
  if (!isPlainObject(input) || !isName(input['name']) || !DATATYPE_SET.has(input['datatype'])) return false;
  const shape = input['shape'];
  if (!Array.isArray(shape) || shape.length > MAX_TENSOR_RANK) return false;
  for (const dim of shape) if (!(Number.isSafeInteger(dim) && (dim as number) >= 0)) return false;
  if (input['parameters'] !== undefined && !isPlainObject(input['parameters'])) return false;
  return input['data'] === undefined || Array.isArray(input['data']);
}

function isName(value: unknown): boolean {
  return typeof value === 'string' && value.length >= 1 && value.length <= MAX_NAME_LENGTH;
}

/** What JSON.parse makes of `{...}`: an object with Object.prototype, not an array. */
function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype;
}

import { isDatatype, type InferenceResponse, type ResponseOutput } from '@splitserve/contracts';

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const isOptional = (value: unknown, check: (value: unknown) => boolean) => value === undefined || check(value);
const isString = (value: unknown) => typeof value === 'string';
const isDimension = (value: unknown) => Number.isSafeInteger(value) && (value as number) >= 0;

/**
 * Checks a parsed inference response (its JSON part) as strictly as the contracts' `inferenceResponseSchema` does
 * (its property test holds the two to the same answers), and returns it typed, or `undefined` when it does not fit.
 * By hand because zod spent about 40 µs on every scorer answer, a share of the gateway's CPU the floor never pays.
 * Like the schema, it keeps unknown keys (zod would strip them; nothing here reads them).
 */
export function parseInferenceResponse(value: Json): InferenceResponse | undefined {
  if (
    !isString(value['model_name']) ||
    !isOptional(value['model_version'], isString) ||
    !isOptional(value['id'], isString) ||
    !isOptional(value['parameters'], isObject)
  ) {
    return undefined;
  }
  const outputs = value['outputs'];
  if (!Array.isArray(outputs) || !outputs.every(isResponseOutput)) return undefined;
  return value as InferenceResponse;
}

function isResponseOutput(value: unknown): value is ResponseOutput {
  if (!isObject(value)) return false;
  const shape = value['shape'];
  return (
    isString(value['name']) &&
    Array.isArray(shape) &&
    shape.every(isDimension) &&
    isDatatype(value['datatype']) &&
    isOptional(value['parameters'], isObject) &&
    isOptional(value['data'], Array.isArray)
  );
}

import {
  decodeBytesElements,
  decodeFixedSize,
  elementByteSize,
  elementCount,
  inferenceRequestSchema,
  splitInferenceBody,
  type InferenceRequest,
  type RequestInput,
} from '@splitserve/contracts';
import { invalidInput } from '../errors.ts';
import type { LoadedModel } from '../models/served-model.ts';
import type { TensorSpec } from '../models/tensor-spec.ts';
import type { WireTensor } from '../worker/protocol.ts';
import { fromJsonData } from './json-data.ts';
import { isWellFormedRequest } from './well-formed-request.ts';

/** An inference request checked against its model and decoded into tensors. */
export type DecodedRequest = {
  id: string | undefined;
  inputs: Record<string, WireTensor>;
  rows: number;
  shapeKey: string;
  outputs: { name: string; binary: boolean }[];
  /** From the `timeout` parameter (Triton's schedule policy, in microseconds). */
  timeoutMs: number | undefined;
};

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Parses an inference body (JSON, or JSON header + binary tensors when `jsonByteLength` is given) and checks every
 * input against the model: names, datatypes, shapes, batch size, element values and binary byte sizes. Throws a
 * 400 error describing the first problem; nothing reaches a queue before it passes.
 */
export function decodeInferenceRequest(
  body: Uint8Array,
  jsonByteLength: number | undefined,
  model: LoadedModel,
): DecodedRequest {
  let json: Uint8Array = body;
  let binary: Uint8Array = new Uint8Array(0);
  if (jsonByteLength !== undefined) {
    try {
      ({ json, binary } = splitInferenceBody(body, jsonByteLength));
    } catch (error) {
      throw invalidInput(`Inference-Header-Content-Length: ${(error as Error).message}`, 'INVALID_REQUEST');
    }
  }
  const request = parseRequest(json);
  const specs = new Map(model.inputs.map((spec) => [spec.name, spec]));
  const seen = new Set<string>();
  const inputs: Record<string, WireTensor> = {};
  let rows = -1;
  let shapeKey = '';
  let cursor = 0;
  for (const input of request.inputs) {
    const spec = specs.get(input.name);
    if (spec === undefined) throw invalidInput(`unknown input '${input.name}'; the model takes ${names(model.inputs)}`);
    if (seen.has(input.name)) throw invalidInput(`input '${input.name}' is given twice`);
    seen.add(input.name);
    checkShape(input, spec, model.maxBatchSize);
    if (model.maxBatchSize > 0) {
      const inputRows = input.shape[0]!;
      if (rows !== -1 && inputRows !== rows) {
        throw invalidInput(`input '${input.name}' has ${inputRows} rows where other inputs have ${rows}`);
      }
      rows = inputRows;
      shapeKey += `${input.name}:${input.shape.slice(1).join('x')};`;
    }
    const binarySize = input.parameters?.['binary_data_size'];
    let data: WireTensor['data'];
    if (binarySize !== undefined) {
      if (!Number.isSafeInteger(binarySize) || (binarySize as number) < 0) {
        throw invalidInput(`input '${input.name}': binary_data_size must be a non-negative integer`);
      }
      if (input.data !== undefined) throw invalidInput(`input '${input.name}' has both data and binary_data_size`);
      const end = cursor + (binarySize as number);
      if (end > binary.byteLength) {
        throw invalidInput(
          `input '${input.name}': binary_data_size ${JSON.stringify(binarySize)} runs past the end of the body`,
        );
      }
      data = fromBinary(input, binary.subarray(cursor, end));
      cursor = end;
    } else {
      if (input.data === undefined) throw invalidInput(`input '${input.name}' has no data`);
      try {
        data = fromJsonData(input.datatype, input.data, elementCount(input.shape));
      } catch (error) {
        throw invalidInput(`input '${input.name}' data ${(error as Error).message}`);
      }
    }
    inputs[input.name] = { type: spec.ortType, dims: input.shape, data };
  }
  if (cursor !== binary.byteLength) {
    throw invalidInput(`the body has ${binary.byteLength - cursor} bytes that no input's binary_data_size claims`);
  }
  const missing = model.inputs.filter((spec) => !seen.has(spec.name));
  if (missing.length > 0) throw invalidInput(`missing input ${names(missing)}`);
  return {
    id: request.id,
    inputs,
    rows: rows === -1 ? 1 : rows,
    shapeKey,
    outputs: requestedOutputs(request, model),
    timeoutMs: timeoutMs(request),
  };
}

function parseRequest(json: Uint8Array): InferenceRequest {
  let value: unknown;
  try {
    value = JSON.parse(utf8.decode(json));
  } catch (error) {
    throw invalidInput(`the body is not valid JSON: ${(error as Error).message}`, 'INVALID_JSON');
  }
  if (isWellFormedRequest(value)) return value;
  const parsed = inferenceRequestSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const path = issue.path.length > 0 ? issue.path.join('.') : 'the body';
    throw invalidInput(`${path}: ${issue.message}`, 'INVALID_REQUEST');
  }
  return parsed.data;
}

function checkShape(input: RequestInput, spec: TensorSpec, maxBatchSize: number): void {
  if (input.datatype !== spec.datatype) {
    throw invalidInput(`input '${input.name}' has datatype ${input.datatype}, the model expects ${spec.datatype}`);
  }
  const expected = `[${spec.shape.join(', ')}]`;
  if (input.shape.length !== spec.shape.length) {
    throw invalidInput(`input '${input.name}' has shape [${input.shape.join(', ')}], the model expects ${expected}`);
  }
  spec.shape.forEach((dim, i) => {
    if (dim !== -1 && input.shape[i] !== dim) {
      throw invalidInput(`input '${input.name}' has shape [${input.shape.join(', ')}], the model expects ${expected}`);
    }
  });
  if (maxBatchSize > 0) {
    const rows = input.shape[0]!;
    if (rows < 1 || rows > maxBatchSize) {
      throw invalidInput(`input '${input.name}' has ${rows} rows; this model takes 1 to ${maxBatchSize} per request`);
    }
  }
  if (elementCount(input.shape) > 2 ** 30) throw invalidInput(`input '${input.name}' is too large`);
}

function fromBinary(input: RequestInput, bytes: Uint8Array): WireTensor['data'] {
  const count = elementCount(input.shape);
  if (input.datatype === 'BYTES') {
    try {
      return decodeBytesElements(bytes, count).map((element) => utf8.decode(element));
    } catch (error) {
      throw invalidInput(`input '${input.name}' binary data: ${(error as Error).message}`);
    }
  }
  const expected = count * elementByteSize(input.datatype)!;
  if (bytes.byteLength !== expected) {
    throw invalidInput(
      `input '${input.name}': binary_data_size is ${bytes.byteLength} bytes, shape and datatype need ${expected}`,
    );
  }
  const data = decodeFixedSize(input.datatype, bytes);
  if (input.datatype === 'BOOL' && (data as Uint8Array).some((v) => v > 1)) {
    throw invalidInput(`input '${input.name}': BOOL bytes must be 0 or 1`);
  }
  return data;
}

function requestedOutputs(request: InferenceRequest, model: LoadedModel): DecodedRequest['outputs'] {
  const allBinary = request.parameters?.['binary_data_output'] === true;
  if (request.outputs === undefined || request.outputs.length === 0) {
    return model.outputs.map((spec) => ({ name: spec.name, binary: allBinary }));
  }
  const known = new Set(model.outputs.map((spec) => spec.name));
  const seen = new Set<string>();
  return request.outputs.map((output) => {
    if (!known.has(output.name)) {
      throw invalidInput(`unknown output '${output.name}'; the model gives ${names(model.outputs)}`);
    }
    if (seen.has(output.name)) throw invalidInput(`output '${output.name}' is requested twice`);
    seen.add(output.name);
    const binary = output.parameters?.['binary_data'];
    return { name: output.name, binary: binary === undefined ? allBinary : binary === true };
  });
}

function timeoutMs(request: InferenceRequest): number | undefined {
  const timeout = request.parameters?.['timeout'];
  if (timeout === undefined) return undefined;
  if (typeof timeout !== 'number' || !Number.isFinite(timeout) || timeout <= 0) {
    throw invalidInput('parameters.timeout must be a positive number of microseconds', 'INVALID_REQUEST');
  }
  return timeout / 1000;
}

function names(specs: readonly { name: string }[]): string {
  return specs.map((spec) => `'${spec.name}'`).join(', ');
}

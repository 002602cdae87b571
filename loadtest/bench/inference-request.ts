import { HEADER, joinInferenceBody } from '@splitserve/contracts';
import type { BenchModel } from './model-fixtures.ts';

/** An HTTP request a load client repeats, in a form that crosses the IPC channel (the body as base64). */
export type RequestSpec = {
  method: 'GET' | 'POST';
  path: string;
  headers: Record<string, string>;
  bodyBase64?: string;
  /**
   * When set, every request replaces this marker in the body with the next number of a counter that starts at 0
   * for each job (e.g. a fresh entity id per request, so a server that coalesces identical calls cannot skip work).
   */
  sequenceMarker?: string;
};

/**
 * How tensors travel both ways: OIP JSON (`data` as numbers) or Triton's binary extension (raw FP32 after a JSON
 * header, requested for the outputs too).
 */
export type BodyEncoding = 'json' | 'binary';

/**
 * Deterministic FP32 features in [-0.5, 0.5], `rows × width`; the raw runner and the HTTP clients feed the same
 * values, so onnxruntime does the same work on both sides.
 */
export function featureRows(rows: number, width: number): Float32Array {
  return Float32Array.from({ length: rows * width }, (_, i) => Math.sin(i * 12.9898 + 1) * 0.5);
}

/**
 * `POST /v2/models/{model}/infer` with one FP32 `[rows, width]` input named `input`. Rounds the features to FP32
 * before writing them as JSON so both encodings carry identical values.
 */
export function inferRequest(options: {
  model: string;
  input: string;
  rows: number;
  width: number;
  encoding: BodyEncoding;
}): RequestSpec {
  const { model, input, rows, width, encoding } = options;
  const data = featureRows(rows, width);
  const path = `/v2/models/${encodeURIComponent(model)}/infer`;
  const tensor = { name: input, shape: [rows, width], datatype: 'FP32' };
  if (encoding === 'json') {
    const body = JSON.stringify({ inputs: [{ ...tensor, data: Array.from(data) }] });
    return {
      method: 'POST',
      path,
      headers: { 'content-type': 'application/json' },
      bodyBase64: Buffer.from(body).toString('base64'),
    };
  }
  const header = {
    inputs: [{ ...tensor, parameters: { binary_data_size: data.byteLength } }],
    parameters: { binary_data_output: true },
  };
  const { body, jsonByteLength } = joinInferenceBody(header, [new Uint8Array(data.buffer)]);
  return {
    method: 'POST',
    path,
    headers: {
      'content-type': 'application/octet-stream',
      [HEADER.inferenceHeaderContentLength]: String(jsonByteLength),
    },
    bodyBase64: Buffer.from(body).toString('base64'),
  };
}

/** A bodiless GET, e.g. `/v2/health/live`. */
export function getRequest(path: string): RequestSpec {
  return { method: 'GET', path, headers: {} };
}

/** One row of `model`'s input, the request every single-row measurement sends. */
export function singleRowRequest(model: BenchModel, encoding: BodyEncoding = 'json'): RequestSpec {
  return inferRequest({ model: model.name, input: model.input, rows: 1, width: model.width, encoding });
}

import {
  decodeBytesElements,
  decodeFixedSize,
  HEADER,
  joinInferenceBody,
  splitInferenceBody,
} from '@splitserve/contracts';
import type { InferenceResponse } from '@splitserve/contracts';
import { toJsonData } from '../src/tensors/json-data.ts';

/** POSTs a JSON inference request; returns status, headers and the parsed body. */
export async function inferJson(
  url: string,
  model: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Headers; body: Record<string, unknown> }> {
  const response = await fetch(`${url}/v2/models/${model}/infer`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return {
    status: response.status,
    headers: response.headers,
    body: (await response.json()) as Record<string, unknown>,
  };
}

/**
 * Sends a binary-extension request, as Python's tritonclient does by default, and decodes any binary outputs back
 * into plain arrays so results compare with JSON ones.
 */
export async function inferBinary(
  url: string,
  model: string,
  header: { inputs: { name: string; shape: number[]; datatype: string }[]; [key: string]: unknown },
  tensors: Uint8Array[],
): Promise<{ status: number; body: InferenceResponse; raw: Record<string, Uint8Array> }> {
  const withSizes = {
    ...header,
    inputs: header.inputs.map((input, i) => ({ ...input, parameters: { binary_data_size: tensors[i]!.byteLength } })),
  };
  const { body, jsonByteLength } = joinInferenceBody(withSizes, tensors);
  const response = await fetch(`${url}/v2/models/${model}/infer`, {
    method: 'POST',
    headers: {
      'content-type': 'application/octet-stream',
      [HEADER.inferenceHeaderContentLength]: String(jsonByteLength),
    },
    body,
  });
  const bytes = new Uint8Array(await response.arrayBuffer());
  const length = response.headers.get(HEADER.inferenceHeaderContentLength);
  if (length === null)
    return { status: response.status, body: JSON.parse(new TextDecoder().decode(bytes)) as InferenceResponse, raw: {} };
  const { json, binary } = splitInferenceBody(bytes, Number(length));
  const parsed = JSON.parse(new TextDecoder().decode(json)) as InferenceResponse;
  const raw: Record<string, Uint8Array> = {};
  let offset = 0;
  for (const output of parsed.outputs) {
    const size = output.parameters?.['binary_data_size'];
    if (typeof size !== 'number') continue;
    const chunk = binary.subarray(offset, offset + size);
    raw[output.name] = chunk;
    offset += size;
    const count = output.shape.reduce((a, b) => a * b, 1);
    output.data =
      output.datatype === 'BYTES'
        ? decodeBytesElements(chunk, count).map((e) => new TextDecoder().decode(e))
        : toJsonData(output.datatype, decodeFixedSize(output.datatype, chunk));
  }
  return { status: response.status, body: parsed, raw };
}

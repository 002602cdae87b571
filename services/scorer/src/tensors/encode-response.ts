import {
  encodeBytesElements,
  encodeFixedSize,
  joinInferenceBody,
  type InferenceResponse,
  type ResponseOutput,
} from '@splitserve/contracts';
import { OIP_DATATYPE_OF } from '../worker/ort-types.ts';
import type { WireTensor } from '../worker/protocol.ts';
import { toJsonData } from './json-data.ts';

/** A response body, and the JSON header's length when tensors follow it in binary. */
export type EncodedResponse = { body: string | Uint8Array; jsonByteLength: number | undefined };

const utf8 = new TextEncoder();

/**
 * Builds an inference response with the requested outputs in request order: in JSON, or as a JSON header followed
 * by raw tensor bytes for the outputs asked for in binary.
 */
export function encodeInferenceResponse(
  head: { modelName: string; modelVersion: string; id: string | undefined },
  outputs: Record<string, WireTensor>,
  requested: readonly { name: string; binary: boolean }[],
): EncodedResponse {
  const chunks: Uint8Array[] = [];
  const described: ResponseOutput[] = requested.map(({ name, binary }) => {
    const tensor = outputs[name]!;
    const datatype = OIP_DATATYPE_OF[tensor.type];
    const output: ResponseOutput = { name, datatype, shape: tensor.dims };
    if (binary) {
      const bytes = Array.isArray(tensor.data)
        ? encodeBytesElements(tensor.data.map((s) => utf8.encode(s)))
        : encodeFixedSize(tensor.data);
      chunks.push(bytes);
      output.parameters = { binary_data_size: bytes.byteLength };
    } else {
      output.data = toJsonData(datatype, tensor.data);
    }
    return output;
  });
  const response: InferenceResponse = {
    model_name: head.modelName,
    model_version: head.modelVersion,
    ...(head.id !== undefined && { id: head.id }),
    outputs: described,
  };
  if (chunks.length === 0) return { body: JSON.stringify(response), jsonByteLength: undefined };
  const { body, jsonByteLength } = joinInferenceBody(response, chunks);
  return { body, jsonByteLength };
}

import { elementByteSize, type FixedSizeDatatype } from './datatypes.ts';

/**
 * Triton's binary tensor extension: a body is a JSON header of `Inference-Header-Content-Length` bytes followed by
 * each binary tensor's raw little-endian, row-major bytes, in the order the tensors appear in the header.
 */

/** A typed array holding the elements of one fixed-size tensor (FP16 as its raw bits). */
export type TensorArray =
  | Uint8Array
  | Int8Array
  | Uint16Array
  | Int16Array
  | Uint32Array
  | Int32Array
  | BigUint64Array
  | BigInt64Array
  | Float32Array
  | Float64Array;

type TensorArrayConstructor = {
  new (length: number): TensorArray;
  new (buffer: ArrayBufferLike, byteOffset: number, length: number): TensorArray;
  readonly BYTES_PER_ELEMENT: number;
};

const ARRAY_TYPES: Record<FixedSizeDatatype, TensorArrayConstructor> = {
  BOOL: Uint8Array,
  UINT8: Uint8Array,
  INT8: Int8Array,
  UINT16: Uint16Array,
  INT16: Int16Array,
  FP16: Uint16Array,
  UINT32: Uint32Array,
  INT32: Int32Array,
  FP32: Float32Array,
  UINT64: BigUint64Array,
  INT64: BigInt64Array,
  FP64: Float64Array,
};

/** The typed array class that holds elements of `datatype`. */
export function tensorArrayType(datatype: FixedSizeDatatype): TensorArrayConstructor {
  return ARRAY_TYPES[datatype];
}

/**
 * Reads `bytes` as elements of `datatype`. The result owns a fresh buffer (safe to transfer to a worker thread and
 * independent of the request body it came from). Throws a `RangeError` when the byte length is not a whole number
 * of elements.
 */
export function decodeFixedSize(datatype: FixedSizeDatatype, bytes: Uint8Array): TensorArray {
  const size = elementByteSize(datatype) ?? 1;
  if (bytes.byteLength % size !== 0) {
    throw new RangeError(`${bytes.byteLength} bytes is not a whole number of ${datatype} elements`);
  }
  const ArrayType = ARRAY_TYPES[datatype];
  const copy = new ArrayType(bytes.byteLength / size);
  new Uint8Array(copy.buffer).set(bytes);
  return copy;
}

/** The raw bytes of a tensor array, as a view (no copy). */
export function encodeFixedSize(values: TensorArray): Uint8Array {
  return new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
}

/**
 * Reads `BYTES` elements: each a 4-byte little-endian length and that many bytes. Throws a `RangeError` when the
 * lengths do not add up to exactly `bytes` or the count differs from `expectedCount`.
 */
export function decodeBytesElements(bytes: Uint8Array, expectedCount: number): Uint8Array[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const elements: Uint8Array[] = [];
  let offset = 0;
  while (offset < bytes.byteLength) {
    if (offset + 4 > bytes.byteLength) throw new RangeError('truncated BYTES element length');
    const length = view.getUint32(offset, true);
    offset += 4;
    if (offset + length > bytes.byteLength) throw new RangeError('BYTES element runs past the end of its tensor');
    elements.push(bytes.subarray(offset, offset + length));
    offset += length;
    if (elements.length > expectedCount) break;
  }
  if (elements.length !== expectedCount) {
    throw new RangeError(`expected ${expectedCount} BYTES elements, found ${elements.length}`);
  }
  return elements;
}

/** Writes `BYTES` elements in the binary layout {@link decodeBytesElements} reads. */
export function encodeBytesElements(elements: readonly Uint8Array[]): Uint8Array {
  let total = 0;
  for (const element of elements) total += 4 + element.byteLength;
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  let offset = 0;
  for (const element of elements) {
    view.setUint32(offset, element.byteLength, true);
    out.set(element, offset + 4);
    offset += 4 + element.byteLength;
  }
  return out;
}

/**
 * Splits a binary-extension body at the header length the client declared. Throws a `RangeError` when the length
 * is not an integer within the body.
 */
export function splitInferenceBody(body: Uint8Array, jsonByteLength: number): { json: Uint8Array; binary: Uint8Array } {
  if (!Number.isSafeInteger(jsonByteLength) || jsonByteLength < 0 || jsonByteLength > body.byteLength) {
    throw new RangeError(`JSON header length ${jsonByteLength} does not fit a body of ${body.byteLength} bytes`);
  }
  return { json: body.subarray(0, jsonByteLength), binary: body.subarray(jsonByteLength) };
}

/**
 * Builds a binary-extension body from a JSON header and the tensors' bytes in header order. `jsonByteLength` goes
 * into `Inference-Header-Content-Length`.
 */
export function joinInferenceBody(
  header: unknown,
  chunks: readonly Uint8Array[],
): { body: Uint8Array; jsonByteLength: number } {
  const json = new TextEncoder().encode(JSON.stringify(header));
  let total = json.byteLength;
  for (const chunk of chunks) total += chunk.byteLength;
  const body = new Uint8Array(total);
  body.set(json, 0);
  let offset = json.byteLength;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return { body, jsonByteLength: json.byteLength };
}

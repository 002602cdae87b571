/**
 * Triton's binary tensor extension as k6 can speak it (no TextEncoder, no Buffer): a body is a JSON header of
 * `Inference-Header-Content-Length` bytes followed by raw little-endian tensor bytes, in header order.
 */

/** Header name as sent; responses are matched case-insensitively. */
export const INFERENCE_HEADER_LENGTH = 'Inference-Header-Content-Length';

/** Bytes of an ASCII string. Throws on any other character: the headers these scripts build are ASCII. */
function asciiBytes(text: string): Uint8Array {
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code > 0x7f) throw new Error(`binary inference header: non-ASCII character at ${i}`);
    bytes[i] = code;
  }
  return bytes;
}

/** A string from bytes read as Latin-1: exact for the ASCII JSON the scorer writes. */
function latin1Text(bytes: Uint8Array): string {
  let text = '';
  const chunk = 8192;
  for (let i = 0; i < bytes.length; i += chunk) {
    text += String.fromCharCode(...bytes.subarray(i, Math.min(i + chunk, bytes.length)));
  }
  return text;
}

/**
 * The body of an inference request with one FP32 [rows, columns] input sent as binary, asking for `output` as
 * binary too (as the gateway does). `values` holds rows × columns numbers, row-major.
 */
export function encodeBinaryInferRequest(
  input: string,
  output: string,
  rows: number,
  columns: number,
  values: ArrayLike<number>,
): { body: ArrayBuffer; headerLength: number } {
  if (values.length !== rows * columns) throw new Error(`expected ${rows * columns} values, got ${values.length}`);
  const tensorBytes = values.length * 4;
  const header = asciiBytes(
    JSON.stringify({
      inputs: [
        { name: input, shape: [rows, columns], datatype: 'FP32', parameters: { binary_data_size: tensorBytes } },
      ],
      outputs: [{ name: output, parameters: { binary_data: true } }],
    }),
  );
  const body = new ArrayBuffer(header.length + tensorBytes);
  new Uint8Array(body).set(header);
  const view = new DataView(body, header.length);
  for (let i = 0; i < values.length; i++) view.setFloat32(i * 4, values[i] ?? 0, true);
  return { body, headerLength: header.length };
}

/** The JSON header and the binary part of a response body, or undefined when the framing does not add up. */
export function splitBinaryInferResponse(
  body: ArrayBuffer,
  headerLength: number,
): { header: unknown; binary: Uint8Array } | undefined {
  if (!Number.isSafeInteger(headerLength) || headerLength <= 0 || headerLength > body.byteLength) return undefined;
  try {
    const header: unknown = JSON.parse(latin1Text(new Uint8Array(body, 0, headerLength)));
    return { header, binary: new Uint8Array(body, headerLength) };
  } catch {
    return undefined;
  }
}

/** `count` little-endian FP32 values from the start of `bytes`, or undefined when there are not enough bytes. */
export function readFloat32s(bytes: Uint8Array, count: number): number[] | undefined {
  if (bytes.byteLength < count * 4) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, count * 4);
  return Array.from({ length: count }, (_, i) => view.getFloat32(i * 4, true));
}

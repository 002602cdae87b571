/**
 * Tensor datatypes of the Open Inference Protocol, in the spec's spelling.
 */
export const DATATYPES = [
  'BOOL',
  'UINT8',
  'UINT16',
  'UINT32',
  'UINT64',
  'INT8',
  'INT16',
  'INT32',
  'INT64',
  'FP16',
  'FP32',
  'FP64',
  'BYTES',
] as const;

/** One of {@link DATATYPES}. */
export type Datatype = (typeof DATATYPES)[number];

/** A datatype whose elements have a fixed byte size (every one but `BYTES`). */
export type FixedSizeDatatype = Exclude<Datatype, 'BYTES'>;

const ELEMENT_BYTES: Record<FixedSizeDatatype, number> = {
  BOOL: 1,
  UINT8: 1,
  INT8: 1,
  UINT16: 2,
  INT16: 2,
  FP16: 2,
  UINT32: 4,
  INT32: 4,
  FP32: 4,
  UINT64: 8,
  INT64: 8,
  FP64: 8,
};

/** True for a datatype of the spec. */
export function isDatatype(value: unknown): value is Datatype {
  return typeof value === 'string' && (DATATYPES as readonly string[]).includes(value);
}

/**
 * Bytes per element in the binary tensor encoding, or `undefined` for `BYTES`, whose elements are each a 4-byte
 * little-endian length followed by that many bytes.
 */
export function elementByteSize(datatype: Datatype): number | undefined {
  return datatype === 'BYTES' ? undefined : ELEMENT_BYTES[datatype];
}

/** Number of elements of a tensor with this shape (1 for a scalar, whose shape is `[]`). */
export function elementCount(shape: readonly number[]): number {
  let count = 1;
  for (const dim of shape) count *= dim;
  return count;
}

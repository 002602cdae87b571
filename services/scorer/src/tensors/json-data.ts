import { MAX_TENSOR_RANK, tensorArrayType, type Datatype, type TensorArray } from '@splitserve/contracts';

/**
 * JSON tensor `data` (flat or nested, row-major) to a typed array, checking every element against the datatype.
 * Throws a `TypeError` whose message names the first offending element.
 */
export function fromJsonData(datatype: Datatype, data: readonly unknown[], count: number): TensorArray | string[] {
  const flat = isFlat(data) ? data : flatten(data);
  if (flat.length !== count) throw new TypeError(`has ${flat.length} elements, its shape needs ${count}`);
  switch (datatype) {
    case 'BYTES':
      return strings(flat);
    case 'BOOL':
      return booleans(flat);
    case 'FP16':
      return new Uint16Array(new Float16Array(numbers(flat, -Infinity, Infinity, false)).buffer);
    case 'FP32':
      return new Float32Array(numbers(flat, -Infinity, Infinity, false));
    case 'FP64':
      return new Float64Array(numbers(flat, -Infinity, Infinity, false));
    case 'INT64':
      return BigInt64Array.from(numbers(flat, Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER, true), BigInt);
    case 'UINT64':
      return BigUint64Array.from(numbers(flat, 0, Number.MAX_SAFE_INTEGER, true), BigInt);
    default: {
      const [min, max] = INTEGER_RANGE[datatype];
      // Every remaining datatype is held in a typed array of numbers; Int32Array stands for them all here.
      const ArrayType = tensorArrayType(datatype) as unknown as Int32ArrayConstructor;
      return new ArrayType(numbers(flat, min, max, true));
    }
  }
}

/**
 * A typed array (or strings) to JSON-ready values. 64-bit integers become numbers, exact up to 2^53; the binary
 * extension carries them exactly.
 */
export function toJsonData(datatype: Datatype, data: TensorArray | string[]): unknown[] {
  if (Array.isArray(data)) return data;
  switch (datatype) {
    case 'BOOL':
      return Array.from(data as Uint8Array, (v) => v !== 0);
    case 'FP16':
      return Array.from(new Float16Array(data.buffer, data.byteOffset, data.length));
    case 'INT64':
    case 'UINT64':
      return Array.from(data as BigInt64Array, Number);
    default: {
      // A plain loop: Array.from goes through the typed array's iterator, about 20 times slower per element.
      const numbers = data as Float32Array;
      const out = new Array<number>(numbers.length);
      for (let i = 0; i < numbers.length; i++) out[i] = numbers[i]!;
      return out;
    }
  }
}

const INTEGER_RANGE = {
  UINT8: [0, 0xff],
  UINT16: [0, 0xffff],
  UINT32: [0, 0xffffffff],
  INT8: [-0x80, 0x7f],
  INT16: [-0x8000, 0x7fff],
  INT32: [-0x80000000, 0x7fffffff],
} as const;

function isFlat(data: readonly unknown[]): boolean {
  return data.length === 0 || !Array.isArray(data[0]);
}

function flatten(data: readonly unknown[]): unknown[] {
  const out: unknown[] = [];
  const visit = (value: readonly unknown[], depth: number): void => {
    if (depth > MAX_TENSOR_RANK) throw new TypeError(`nests deeper than ${MAX_TENSOR_RANK} levels`);
    for (const element of value) {
      if (Array.isArray(element)) visit(element, depth + 1);
      else out.push(element);
    }
  };
  visit(data, 1);
  return out;
}

function numbers(flat: readonly unknown[], min: number, max: number, integer: boolean): number[] {
  for (let i = 0; i < flat.length; i++) {
    const v = flat[i];
    if (typeof v !== 'number' || (integer && !Number.isInteger(v)) || v < min || v > max) {
      const kind = integer ? `an integer in [${min}, ${max}]` : 'a number';
      throw new TypeError(`element ${i} is ${show(v)}, expected ${kind}`);
    }
  }
  return flat as number[];
}

function booleans(flat: readonly unknown[]): Uint8Array {
  const out = new Uint8Array(flat.length);
  for (let i = 0; i < flat.length; i++) {
    const v = flat[i];
    if (typeof v !== 'boolean') throw new TypeError(`element ${i} is ${show(v)}, expected a boolean`);
    out[i] = v ? 1 : 0;
  }
  return out;
}

function strings(flat: readonly unknown[]): string[] {
  for (let i = 0; i < flat.length; i++) {
    if (typeof flat[i] !== 'string') {
      throw new TypeError(`element ${i} is ${show(flat[i])}, expected a string`);
    }
  }
  return flat as string[];
}

function show(value: unknown): string {
  const text = Array.isArray(value) ? 'an array' : (JSON.stringify(value) ?? typeof value);
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

import ort from 'onnxruntime-node';
import type { WireValueInfo } from './protocol.ts';

const ZERO_ARRAY = {
  bool: Uint8Array,
  uint8: Uint8Array,
  int8: Int8Array,
  uint16: Uint16Array,
  int16: Int16Array,
  float16: Uint16Array,
  uint32: Uint32Array,
  int32: Int32Array,
  float32: Float32Array,
  uint64: BigUint64Array,
  int64: BigInt64Array,
  float64: Float64Array,
} as const;

/**
 * Zero-filled (or empty-string) inputs for a warm-up run: the first symbolic dimension set to `rows`, every other
 * symbolic dimension to 1.
 */
export function warmupFeeds(inputs: readonly WireValueInfo[], rows: number): Record<string, ort.Tensor> {
  const feeds: Record<string, ort.Tensor> = {};
  for (const input of inputs) {
    const dims = input.shape.map((d, i) => (typeof d === 'number' && d >= 0 ? d : i === 0 ? rows : 1));
    const count = dims.reduce((a, b) => a * b, 1);
    if (input.type === 'string') {
      feeds[input.name] = new ort.Tensor('string', new Array<string>(count).fill(''), dims);
    } else {
      const ArrayType = ZERO_ARRAY[input.type as keyof typeof ZERO_ARRAY];
      feeds[input.name] = new ort.Tensor(input.type as 'float32', new ArrayType(count) as Float32Array, dims);
    }
  }
  return feeds;
}

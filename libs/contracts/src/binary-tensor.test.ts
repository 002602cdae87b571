import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  decodeBytesElements,
  decodeFixedSize,
  encodeBytesElements,
  encodeFixedSize,
  joinInferenceBody,
  splitInferenceBody,
} from './binary-tensor.ts';

test('fixed-size tensors round-trip through their bytes, also from an unaligned offset', () => {
  fc.assert(
    fc.property(fc.float32Array({ noNaN: true }), fc.nat(7), (values, pad) => {
      const bytes = encodeFixedSize(values);
      const shifted = new Uint8Array(pad + bytes.byteLength);
      shifted.set(bytes, pad);
      const decoded = decodeFixedSize('FP32', shifted.subarray(pad));
      assert.deepEqual(Array.from(decoded as Float32Array), Array.from(values));
      assert.equal(decoded.byteOffset, 0);
      assert.equal(decoded.buffer.byteLength, decoded.byteLength);
    }),
  );
});

test('a byte length that is not a whole number of elements is refused', () => {
  assert.throws(() => decodeFixedSize('INT64', new Uint8Array(12)), RangeError);
});

test('BYTES elements round-trip, and wrong counts or truncation are refused', () => {
  fc.assert(
    fc.property(fc.array(fc.uint8Array({ maxLength: 40 }), { maxLength: 20 }), (elements) => {
      const encoded = encodeBytesElements(elements);
      assert.deepEqual(
        decodeBytesElements(encoded, elements.length).map((e) => Array.from(e)),
        elements.map((e) => Array.from(e)),
      );
      assert.throws(() => decodeBytesElements(encoded, elements.length + 1), RangeError);
      if (encoded.byteLength > 0) {
        assert.throws(
          () => decodeBytesElements(encoded.subarray(0, encoded.byteLength - 1), elements.length),
          RangeError,
        );
      }
    }),
  );
});

test('a joined body splits back into its header and tensor bytes', () => {
  const header = { inputs: [{ name: 'x', parameters: { binary_data_size: 3 } }] };
  const { body, jsonByteLength } = joinInferenceBody(header, [new Uint8Array([1, 2, 3])]);
  const { json, binary } = splitInferenceBody(body, jsonByteLength);
  assert.deepEqual(JSON.parse(new TextDecoder().decode(json)), header);
  assert.deepEqual(Array.from(binary), [1, 2, 3]);
  assert.throws(() => splitInferenceBody(body, body.byteLength + 1), RangeError);
  assert.throws(() => splitInferenceBody(body, 1.5), RangeError);
});

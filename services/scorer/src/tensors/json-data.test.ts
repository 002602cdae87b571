import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { fromJsonData, toJsonData } from './json-data.ts';

const integerRanges = {
  UINT8: [0, 255],
  UINT16: [0, 65_535],
  UINT32: [0, 4_294_967_295],
  INT8: [-128, 127],
  INT16: [-32_768, 32_767],
  INT32: [-2_147_483_648, 2_147_483_647],
  INT64: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
  UINT64: [0, Number.MAX_SAFE_INTEGER],
} as const;

test('integers in range round-trip exactly; one past either end is refused', () => {
  for (const [datatype, [min, max]] of Object.entries(integerRanges)) {
    const type = datatype as keyof typeof integerRanges;
    fc.assert(
      fc.property(fc.array(fc.integer({ min: Math.max(min, -(2 ** 31)), max: Math.min(max, 2 ** 31) })), (values) => {
        assert.deepEqual(toJsonData(type, fromJsonData(type, values, values.length)), values);
      }),
      { numRuns: 50 },
    );
    assert.deepEqual(toJsonData(type, fromJsonData(type, [min, max], 2)), [min, max]);
    assert.throws(() => fromJsonData(type, [min - 1], 1), TypeError);
    assert.throws(() => fromJsonData(type, [max + 1], 1), TypeError);
    assert.throws(() => fromJsonData(type, [0.5], 1), TypeError);
  }
});

test('floats keep their precision: FP64 exactly, FP32 and FP16 as the nearest value of their width', () => {
  fc.assert(
    fc.property(fc.array(fc.double({ noNaN: true, noDefaultInfinity: true })), (values) => {
      assert.deepEqual(toJsonData('FP64', fromJsonData('FP64', values, values.length)), values);
      assert.deepEqual(toJsonData('FP32', fromJsonData('FP32', values, values.length)), values.map(Math.fround));
      assert.deepEqual(toJsonData('FP16', fromJsonData('FP16', values, values.length)), values.map(Math.f16round));
    }),
  );
});

test('nested data flattens row-major; a wrong element count is refused', () => {
  assert.deepEqual(
    toJsonData(
      'FP32',
      fromJsonData(
        'FP32',
        [
          [1, 2],
          [3, 4],
        ],
        4,
      ),
    ),
    [1, 2, 3, 4],
  );
  assert.deepEqual(
    toJsonData(
      'FP32',
      fromJsonData(
        'FP32',
        [
          [[1], [2]],
          [[3], [4]],
        ],
        4,
      ),
    ),
    [1, 2, 3, 4],
  );
  assert.throws(() => fromJsonData('FP32', [[1, 2], [3]], 4), /has 3 elements/);
  assert.throws(
    () => fromJsonData('FP32', JSON.parse('['.repeat(30) + ']'.repeat(30)) as unknown[], 0),
    /nests deeper/,
  );
});

test('each datatype refuses elements of the wrong JSON type', () => {
  assert.throws(() => fromJsonData('BOOL', [1], 1), /expected a boolean/);
  assert.throws(() => fromJsonData('BYTES', [1], 1), /expected a string/);
  assert.throws(() => fromJsonData('FP32', ['1'], 1), /expected a number/);
  assert.throws(() => fromJsonData('FP32', [1, [2]], 2), TypeError);
  assert.deepEqual(toJsonData('BOOL', fromJsonData('BOOL', [true, false], 2)), [true, false]);
  assert.deepEqual(toJsonData('BYTES', fromJsonData('BYTES', ['a', ''], 2)), ['a', '']);
});

test('any JSON value either converts or fails with a TypeError, never anything else', () => {
  const datatypes = ['BOOL', 'UINT8', 'INT64', 'FP16', 'FP32', 'BYTES'] as const;
  fc.assert(
    fc.property(fc.array(fc.jsonValue({ maxDepth: 3 })), fc.constantFrom(...datatypes), fc.nat(20), (data, type, n) => {
      try {
        fromJsonData(type, data, n);
      } catch (error) {
        assert.ok(error instanceof TypeError, String(error));
      }
    }),
  );
});

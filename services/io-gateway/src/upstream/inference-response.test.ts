import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { DATATYPES, inferenceResponseSchema } from '@splitserve/contracts';
import { parseInferenceResponse } from './inference-response.ts';

const valid = {
  model_name: 'interests',
  model_version: '1',
  id: 'r-1',
  parameters: { a: 1 },
  outputs: [{ name: 'scores', shape: [1, 16], datatype: 'FP32', parameters: { binary_data_size: 64 } }],
};

test('accepts what the scorer answers, and returns it as is', () => {
  assert.equal(parseInferenceResponse(valid), valid);
  const minimal = { model_name: 'm', outputs: [] };
  assert.equal(parseInferenceResponse(minimal), minimal);
});

test('refuses each way a response can be wrong', () => {
  const output = valid.outputs[0]!;
  const wrong: Record<string, unknown>[] = [
    { ...valid, model_name: 1 },
    { ...valid, model_name: undefined },
    { ...valid, model_version: 1 },
    { ...valid, id: null },
    { ...valid, parameters: [] },
    { ...valid, parameters: null },
    { ...valid, outputs: {} },
    { ...valid, outputs: [null] },
    { ...valid, outputs: [{ ...output, name: 3 }] },
    { ...valid, outputs: [{ ...output, shape: [1, -1] }] },
    { ...valid, outputs: [{ ...output, shape: [1.5] }] },
    { ...valid, outputs: [{ ...output, shape: [2 ** 60] }] },
    { ...valid, outputs: [{ ...output, shape: '1,16' }] },
    { ...valid, outputs: [{ ...output, datatype: 'FP31' }] },
    { ...valid, outputs: [{ ...output, parameters: 'x' }] },
    { ...valid, outputs: [{ ...output, data: {} }] },
  ];
  for (const value of wrong) {
    assert.equal(parseInferenceResponse(value), undefined, JSON.stringify(value));
    assert.equal(inferenceResponseSchema.safeParse(value).success, false, 'the schema agrees');
  }
});

/** Values of the kinds JSON.parse makes, biased towards the shapes a response has. */
const jsonValue = fc.oneof(
  fc.constant(undefined),
  fc.constant(null),
  fc.boolean(),
  fc.integer({ min: -3, max: 20 }),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.constant(2 ** 60),
  fc.string({ maxLength: 5 }),
  fc.constantFrom(...DATATYPES),
  fc.dictionary(fc.string({ maxLength: 3 }), fc.integer(), { maxKeys: 2 }),
  fc.array(fc.integer({ min: -1, max: 20 }), { maxLength: 3 }),
);
/** Mostly `good`, sometimes anything: most cases get deep enough for one field to decide. */
const mostly = <T>(good: fc.Arbitrary<T>) =>
  fc.oneof({ arbitrary: good, weight: 6 }, { arbitrary: jsonValue, weight: 1 });
const outputLike = fc.oneof(
  { arbitrary: jsonValue, weight: 1 },
  {
    arbitrary: fc.record(
      {
        name: mostly(fc.string({ maxLength: 5 })),
        shape: mostly(fc.array(mostly(fc.nat(64)), { maxLength: 3 })),
        datatype: mostly(fc.constantFrom(...DATATYPES)),
        parameters: mostly(fc.constant(undefined)),
        data: mostly(fc.constant(undefined)),
      },
      { requiredKeys: [] },
    ),
    weight: 8,
  },
);
const responseLike = fc.record(
  {
    model_name: mostly(fc.string({ maxLength: 5 })),
    model_version: mostly(fc.constant(undefined)),
    id: mostly(fc.constant(undefined)),
    parameters: mostly(fc.constant(undefined)),
    outputs: mostly(fc.array(outputLike, { maxLength: 3 })),
    extra: jsonValue,
  },
  { requiredKeys: [] },
);

test('property: accepts exactly what inferenceResponseSchema accepts', () => {
  fc.assert(
    fc.property(responseLike, (value) => {
      // JSON has no undefined: drop those keys, as a parsed body would not have them.
      const parsed = JSON.parse(JSON.stringify(value)) as Record<string, unknown>;
      assert.equal(
        parseInferenceResponse(parsed) !== undefined,
        inferenceResponseSchema.safeParse(parsed).success,
        JSON.stringify(parsed),
      );
    }),
    { numRuns: 2_000 },
  );
});

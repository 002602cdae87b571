import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { DATATYPES, inferenceRequestSchema } from '@splitserve/contracts';
import { isWellFormedRequest } from './well-formed-request.ts';

const typical = {
  id: 'r-1',
  parameters: { binary_data_output: true },
  inputs: [{ name: 'features', shape: [1, 4], datatype: 'FP32', data: [1, 2, 3, 4] }],
  outputs: [{ name: 'scores', parameters: { binary_data: false } }],
};

test('a typical request passes, and the schema agrees', () => {
  assert.equal(isWellFormedRequest(typical), true);
  assert.equal(inferenceRequestSchema.safeParse(typical).success, true);
  assert.equal(isWellFormedRequest({ inputs: [{ name: 'x', shape: [], datatype: 'BYTES' }] }), true);
});

test('each kind of malformed request is left to the schema', () => {
  const input = typical.inputs[0]!;
  for (const bad of [
    null,
    [],
    'inputs',
    { inputs: [] },
    { inputs: {} },
    { ...typical, id: 7 },
    { ...typical, id: 'x'.repeat(257) },
    { ...typical, parameters: [] },
    { ...typical, outputs: [{}] },
    { ...typical, outputs: {} },
    { inputs: [{ ...input, name: '' }] },
    { inputs: [{ ...input, datatype: 'FP8' }] },
    { inputs: [{ ...input, shape: [1.5] }] },
    { inputs: [{ ...input, shape: [-1] }] },
    { inputs: [{ ...input, shape: new Array(17).fill(1) }] },
    { inputs: [{ ...input, data: 'abc' }] },
    { inputs: [{ ...input, parameters: 3 }] },
    { inputs: new Array(65).fill(input) },
  ]) {
    assert.equal(isWellFormedRequest(bad), false, JSON.stringify(bad));
  }
});

test('property: whatever passes the fast check also passes the schema', () => {
  const name = fc.oneof(fc.string({ maxLength: 3 }), fc.constant('features'), fc.constant(''));
  const parameters = fc.oneof(fc.constant(undefined), fc.dictionary(fc.string(), fc.jsonValue()), fc.jsonValue());
  const tensor = fc.record(
    {
      name,
      datatype: fc.oneof(fc.constantFrom(...DATATYPES), fc.string()),
      shape: fc.oneof(fc.array(fc.oneof(fc.nat(), fc.integer(), fc.double())), fc.jsonValue()),
      parameters,
      data: fc.oneof(fc.array(fc.jsonValue(), { maxLength: 4 }), fc.jsonValue()),
    },
    { requiredKeys: [] },
  );
  const request = fc.record(
    {
      id: fc.oneof(fc.string(), fc.jsonValue()),
      parameters,
      inputs: fc.oneof(fc.array(tensor, { maxLength: 3 }), fc.jsonValue()),
      outputs: fc.oneof(
        fc.array(fc.record({ name, parameters }, { requiredKeys: [] }), { maxLength: 3 }),
        fc.jsonValue(),
      ),
    },
    { requiredKeys: [] },
  );
  fc.assert(
    fc.property(fc.oneof(request, fc.jsonValue()), (value) => {
      // Through JSON and back, as a body arrives (no undefined values, plain objects).
      const body = JSON.parse(JSON.stringify(value ?? null)) as unknown;
      if (isWellFormedRequest(body)) assert.equal(inferenceRequestSchema.safeParse(body).success, true);
    }),
    { numRuns: 2_000 },
  );
});

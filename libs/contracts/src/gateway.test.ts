import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { isScoreRequest, scoreRequestSchema } from './gateway.ts';

test('typical score requests pass the hand check, and the schema agrees', () => {
  for (const body of [
    { entityId: 'u-42' },
    { entityId: 'u-music-7', topK: 3 },
    { entityId: 'a', model: 'interests', topK: 1000 },
    { entityId: `A${'b'.repeat(127)}`, topK: 1 },
  ]) {
    assert.equal(isScoreRequest(body), true, JSON.stringify(body));
    assert.equal(scoreRequestSchema.safeParse(body).success, true, JSON.stringify(body));
  }
});

test('each kind of bad score request is left to the schema, which refuses it too', () => {
  for (const bad of [
    null,
    [],
    'u-42',
    {},
    { entityId: 42 },
    { entityId: '' },
    { entityId: '-u' },
    { entityId: 'u/42' },
    { entityId: `a${'b'.repeat(128)}` },
    { entityId: 'u', model: '' },
    { entityId: 'u', model: 'a b' },
    { entityId: 'u', topK: 0 },
    { entityId: 'u', topK: 1001 },
    { entityId: 'u', topK: 2.5 },
    { entityId: 'u', topK: '3' },
    { entityId: 'u', extra: true },
    JSON.parse('{"entityId":"u","__proto__":{}}') as unknown,
  ]) {
    assert.equal(isScoreRequest(bad), false, JSON.stringify(bad));
    assert.equal(scoreRequestSchema.safeParse(bad).success, false, JSON.stringify(bad));
  }
});

test('property: the hand check and the schema give the same verdict on any JSON', () => {
  const id = fc.oneof(
    fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._:@-]{0,130}$/),
    fc.string({ maxLength: 6 }),
    fc.constantFrom('u-42', 'interests'),
  );
  const body = fc.oneof(
    fc.record(
      {
        entityId: fc.oneof(id, fc.jsonValue()),
        model: fc.oneof(id, fc.jsonValue()),
        topK: fc.oneof(fc.integer({ min: -2, max: 1002 }), fc.double(), fc.jsonValue()),
        extra: fc.jsonValue(),
      },
      { requiredKeys: [] },
    ),
    fc.jsonValue(),
  );
  fc.assert(
    fc.property(body, (value) => {
      // Through JSON, as the gateway sees it (no undefined, no -0 or NaN).
      const parsed = JSON.parse(JSON.stringify(value) ?? 'null') as unknown;
      assert.equal(isScoreRequest(parsed), scoreRequestSchema.safeParse(parsed).success, JSON.stringify(parsed));
    }),
    { numRuns: 5_000 },
  );
});

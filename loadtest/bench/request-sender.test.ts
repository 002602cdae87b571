import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bodySequence } from './request-sender.ts';

const spec = (body: string | undefined, sequenceMarker?: string) => ({
  method: 'POST' as const,
  path: '/v1/score',
  headers: {},
  ...(body !== undefined && { bodyBase64: Buffer.from(body).toString('base64') }),
  ...(sequenceMarker !== undefined && { sequenceMarker }),
});

test('a body without a marker is sent as it is every time', () => {
  const next = bodySequence(spec('{"entityId":"u-1"}'));
  assert.equal(next()?.toString(), '{"entityId":"u-1"}');
  assert.equal(next()?.toString(), '{"entityId":"u-1"}');
});

test('a marker becomes 0, 1, 2, … request after request', () => {
  const next = bodySequence(spec('{"entityId":"u-#"}', '#'));
  assert.deepEqual([next(), next(), next()].map(String), [
    '{"entityId":"u-0"}',
    '{"entityId":"u-1"}',
    '{"entityId":"u-2"}',
  ]);
});

test('a bodiless request stays bodiless; a marker missing from the body is an error', () => {
  assert.equal(bodySequence(spec(undefined))(), undefined);
  assert.throws(() => bodySequence(spec('{}', '#')), /no marker #/);
});

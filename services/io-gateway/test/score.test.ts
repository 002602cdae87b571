import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Validator } from '@seriousme/openapi-schema-validator';
import { batchScoreResponseSchema, problemDetailsSchema, scoreResponseSchema } from '@splitserve/contracts';
import type { RunningService } from '@splitserve/test-support';
import { SECURE_HEADERS } from '../src/middleware/secure-headers.ts';
import { post, startStack, type Stack } from './stack.ts';

let stack: Stack;
before(async () => {
  stack = await startStack();
});
after(() => stack.stop());

describe('scoring', () => {
  test('an entity whose events are mostly music gets music first, with the response contract', async () => {
    const { status, body, headers } = await post(stack.gateway.url, '/v1/score', { entityId: 'u-music-7' });
    assert.equal(status, 200, JSON.stringify(body));
    const response = scoreResponseSchema.parse(body);
    assert.equal(response.entityId, 'u-music-7');
    assert.equal(response.model, 'interests');
    assert.equal(response.modelVersion, '1');
    assert.equal(response.scores.length, 16);
    assert.equal(response.scores[0]!.label, 'music');
    for (let i = 1; i < response.scores.length; i++)
      assert.ok(response.scores[i - 1]!.score >= response.scores[i]!.score);
    assert.deepEqual(response.degraded, []);
    assert.equal(response.requestId, headers.get('x-request-id'));
  });

  test('topK cuts the ranking; a caller request id travels through', async () => {
    const { body } = await post(
      stack.gateway.url,
      '/v1/score',
      { entityId: 'u-pets-3', topK: 3 },
      { 'x-request-id': 'trace-me-1' },
    );
    const response = scoreResponseSchema.parse(body);
    assert.deepEqual(response.scores.map((s) => s.label)[0], 'pets');
    assert.equal(response.scores.length, 3);
    assert.equal(response.requestId, 'trace-me-1');
  });

  test('a batch answers every entity in order, with per-entity errors', async () => {
    const entityIds = ['u-tech-1', 'missing-1', 'u-food-2', 'u-books-9'];
    const { status, body } = await post(stack.gateway.url, '/v1/score/batch', { entityIds, topK: 1 });
    assert.equal(status, 200);
    const { results } = batchScoreResponseSchema.parse(body);
    assert.deepEqual(
      results.map((r) => r.entityId),
      entityIds,
    );
    const labels = results.map((r) => ('scores' in r ? r.scores[0]!.label : r.error.code));
    assert.deepEqual(labels, ['tech', 'ENTITY_NOT_FOUND', 'food', 'books']);
  });

  test('batch and single scoring agree', async () => {
    const single = scoreResponseSchema.parse((await post(stack.gateway.url, '/v1/score', { entityId: 'u-x-5' })).body);
    const { body } = await post(stack.gateway.url, '/v1/score/batch', { entityIds: ['u-y-1', 'u-x-5'] });
    const batched = batchScoreResponseSchema.parse(body).results[1]!;
    assert.ok('scores' in batched);
    batched.scores.forEach((s, i) => {
      assert.equal(s.label, single.scores[i]!.label);
      assert.ok(Math.abs(s.score - single.scores[i]!.score) < 1e-6);
    });
  });
});

describe('bad input gets problem details, never a 5xx', () => {
  const cases: [string, () => ReturnType<typeof post>, number, string][] = [
    ['malformed JSON', () => post(stack.gateway.url, '/v1/score', '{"entityId":'), 400, 'INVALID_JSON'],
    [
      'a non-JSON content type',
      () => rawPost('/v1/score', 'entityId=u-1', 'text/plain'),
      415,
      'UNSUPPORTED_MEDIA_TYPE',
    ],
    ['a missing entityId', () => post(stack.gateway.url, '/v1/score', {}), 422, 'INVALID_REQUEST'],
    [
      'an entityId with a slash',
      () => post(stack.gateway.url, '/v1/score', { entityId: '../admin' }),
      422,
      'INVALID_REQUEST',
    ],
    [
      'an unknown field',
      () => post(stack.gateway.url, '/v1/score', { entityId: 'u-1', extra: 1 }),
      422,
      'INVALID_REQUEST',
    ],
    ['topK zero', () => post(stack.gateway.url, '/v1/score', { entityId: 'u-1', topK: 0 }), 422, 'INVALID_REQUEST'],
    [
      'an unknown model',
      () => post(stack.gateway.url, '/v1/score', { entityId: 'u-1', model: 'nope' }),
      422,
      'UNKNOWN_MODEL',
    ],
    [
      'too many entities',
      () => post(stack.gateway.url, '/v1/score/batch', { entityIds: Array.from({ length: 101 }, (_, i) => `u-${i}`) }),
      422,
      'INVALID_REQUEST',
    ],
    ['an empty batch', () => post(stack.gateway.url, '/v1/score/batch', { entityIds: [] }), 422, 'INVALID_REQUEST'],
    [
      'a malformed deadline header',
      () => post(stack.gateway.url, '/v1/score', { entityId: 'u-1' }, { 'x-request-timeout-ms': '-5' }),
      400,
      'INVALID_REQUEST',
    ],
    [
      'a body over the limit',
      () => post(stack.gateway.url, '/v1/score', { entityId: 'u-1', pad: 'x'.repeat(300_000) }),
      413,
      'PAYLOAD_TOO_LARGE',
    ],
    ['an unknown route', () => post(stack.gateway.url, '/v1/nope', {}), 404, 'NOT_FOUND'],
    [
      'prototype pollution keys',
      () => post(stack.gateway.url, '/v1/score', '{"entityId":"u-1","__proto__":{"admin":true}}'),
      422,
      'INVALID_REQUEST',
    ],
  ];
  for (const [name, send, status, code] of cases) {
    test(name, async () => {
      const answer = await send();
      assert.equal(answer.status, status, JSON.stringify(answer.body));
      const problem = problemDetailsSchema.parse(answer.body);
      assert.equal(problem.code, code);
      assert.equal(problem.status, status);
      assert.equal(answer.headers.get('content-type'), 'application/problem+json');
    });
  }
});

async function rawPost(path: string, body: string, contentType: string) {
  const response = await fetch(`${stack.gateway.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': contentType },
    body,
  });
  return {
    status: response.status,
    headers: response.headers,
    body: (await response.json()) as Record<string, unknown>,
    ms: 0,
  };
}

describe('operations', () => {
  test('health, readiness, metrics and security headers', async () => {
    assert.equal((await fetch(`${stack.gateway.url}/healthz`)).status, 200);
    assert.equal((await fetch(`${stack.gateway.url}/readyz`)).status, 200);
    const metrics = await (await fetch(`${stack.gateway.url}/metrics`)).text();
    assert.match(metrics, /gateway_requests_total\{route="\/v1\/score",status="200"\}/);
    assert.match(metrics, /gateway_dependency_attempts_total\{dependency="profile",outcome="ok"\}/);
    const headers = (await fetch(`${stack.gateway.url}/healthz`)).headers;
    assert.equal(headers.get('x-content-type-options'), 'nosniff');
  });

  test('scores and problems carry the security headers and the request id', async () => {
    const answers = [
      await post(stack.gateway.url, '/v1/score', { entityId: 'u-music-1' }),
      await post(stack.gateway.url, '/v1/score', { entityId: 42 }),
      await post(stack.gateway.url, '/v1/score', { entityId: 'missing-1' }),
    ];
    assert.deepEqual(
      answers.map((answer) => answer.status),
      [200, 422, 404],
    );
    for (const { headers, body } of answers) {
      for (const [name, value] of SECURE_HEADERS) assert.equal(headers.get(name), value, name);
      assert.equal(headers.get('x-request-id'), body['requestId']);
    }
  });

  test('the OpenAPI document is valid and every path in it is served', async () => {
    const document = (await (await fetch(`${stack.gateway.url}/openapi.json`)).json()) as {
      paths: Record<string, Record<string, unknown>>;
    };
    const result = await new Validator().validate(document);
    assert.equal(result.valid, true, JSON.stringify(result.errors));
    for (const [path, methods] of Object.entries(document.paths)) {
      for (const method of Object.keys(methods)) {
        const response = await fetch(`${stack.gateway.url}${path}`, {
          method: method.toUpperCase(),
          ...(method === 'post' && {
            headers: { 'content-type': 'application/json' },
            body: '{"entityId":"u-1","entityIds":["u-1"]}',
          }),
        });
        await response.arrayBuffer();
        assert.notEqual(response.status, 404, `${method} ${path}`);
      }
    }
    const docs = await fetch(`${stack.gateway.url}/docs`);
    assert.equal(docs.status, 200);
    assert.match(await docs.text(), /openapi\.json/);
  });

  test('with API keys configured, /v1 requires one and health does not', async () => {
    let guarded: RunningService | undefined;
    try {
      guarded = await stack.startGateway({ API_KEYS: 'k-one,k-two-longer' });
      const without = await post(guarded.url, '/v1/score', { entityId: 'u-1' });
      assert.equal(without.status, 401);
      assert.equal(problemDetailsSchema.parse(without.body).code, 'UNAUTHORIZED');
      assert.equal(
        (await post(guarded.url, '/v1/score', { entityId: 'u-1' }, { authorization: 'Bearer k-on' })).status,
        401,
      );
      assert.equal(
        (await post(guarded.url, '/v1/score', { entityId: 'u-1' }, { authorization: 'Bearer k-one' })).status,
        200,
      );
      assert.equal(
        (await post(guarded.url, '/v1/score', { entityId: 'u-1' }, { 'x-api-key': 'k-two-longer' })).status,
        200,
      );
      assert.equal((await fetch(`${guarded.url}/healthz`)).status, 200);
      const logged = JSON.stringify(guarded.logs);
      assert.ok(!logged.includes('k-one') && !logged.includes('k-two-longer'), 'API keys must never be logged');
    } finally {
      await guarded?.stop();
    }
  });
});

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { batchScoreRequestSchema, problemDetailsSchema, scoreRequestSchema } from '@splitserve/contracts';
import type { RunningService } from '@splitserve/test-support';
import { startStack, type Stack } from './stack.ts';

const API_KEY = 'fuzz-key-31c9';
let stack: Stack;
let keyed: RunningService;
before(async () => {
  stack = await startStack({ mockLatencyMs: 0 });
  keyed = await stack.startGateway({ API_KEYS: API_KEY });
});
after(() => stack.stop());

async function send(
  gateway: RunningService,
  path: string,
  body: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${gateway.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = text;
  }
  return { status: response.status, body: parsed };
}

/** A 4xx with RFC 9457 problem details whose status matches, or a success. */
function assertNoServerError(answer: { status: number; body: unknown }, what: string) {
  assert.ok(answer.status < 500, `${answer.status} for ${what}: ${JSON.stringify(answer.body).slice(0, 300)}`);
  if (answer.status >= 400) {
    const problem = problemDetailsSchema.safeParse(answer.body);
    assert.ok(
      problem.success && problem.data.status === answer.status,
      `not a problem: ${JSON.stringify(answer.body)}`,
    );
  }
}

const hostile = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }),
  fc.constantFrom(1e308, -0, 2 ** 64, Number.MAX_SAFE_INTEGER + 2, '__proto__', 'constructor', '..', '%2e%2e', '//x'),
);
const entityId = fc.oneof(
  fc.constantFrom(
    'u-music-1',
    'u-tech-x',
    'missing-3',
    'a',
    'u@x.y',
    'u..',
    '..',
    '-u',
    'a'.repeat(128),
    'a'.repeat(129),
  ),
  fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._:@-]{0,20}$/),
  fc.string({ maxLength: 40 }),
  hostile,
);
const extraKey = fc.dictionary(fc.oneof(fc.constantFrom('__proto__', 'constructor', 'x'), fc.string()), hostile, {
  maxKeys: 2,
});
const model = fc.oneof(fc.constantFrom('interests', 'nope', 'Interests'), hostile);
const topK = fc.oneof(fc.integer({ min: -3, max: 1_100 }), fc.double(), hostile);

describe('POST /v1/score and /v1/score/batch: any body gets a 2xx or a 4xx problem, never a 5xx', () => {
  test('arbitrary JSON values, at both routes', async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue({ maxDepth: 5 }), fc.boolean(), async (value, batch) => {
        const answer = await send(stack.gateway, batch ? '/v1/score/batch' : '/v1/score', JSON.stringify(value));
        assertNoServerError(answer, JSON.stringify(value).slice(0, 200));
      }),
      { numRuns: 150 },
    );
  });

  test('score requests: 422 exactly when the schema refuses them, otherwise scored or 404', async () => {
    const request = fc.record({ entityId, model, topK }, { requiredKeys: [] });
    await fc.assert(
      fc.asyncProperty(request, extraKey, fc.boolean(), async (fields, extra, withExtra) => {
        const body = withExtra ? { ...extra, ...fields } : fields;
        const text = JSON.stringify(body);
        const answer = await send(stack.gateway, '/v1/score', text);
        assertNoServerError(answer, text);
        const parsed = scoreRequestSchema.safeParse(JSON.parse(text));
        if (!parsed.success) assert.equal(answer.status, 422, text);
        else if (parsed.data.model === undefined || parsed.data.model === 'interests') {
          assert.ok([200, 404].includes(answer.status), `${answer.status} for ${text}`);
        } else assert.equal((answer.body as { code?: string }).code, 'UNKNOWN_MODEL', text);
      }),
      { numRuns: 200 },
    );
  });

  test('batch requests: 422 when refused, otherwise one result per entity in order', async () => {
    const request = fc.record(
      {
        entityIds: fc.oneof(
          fc.array(fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._:@-]{0,20}$/), { minLength: 1, maxLength: 110 }),
          fc.array(entityId, { maxLength: 110 }),
          hostile,
        ),
        model: fc.oneof(fc.constant(undefined), model),
        topK: fc.oneof(fc.constant(undefined), topK),
      },
      { requiredKeys: ['entityIds'] },
    );
    await fc.assert(
      fc.asyncProperty(request, async (fields) => {
        const text = JSON.stringify(fields);
        const answer = await send(stack.gateway, '/v1/score/batch', text);
        assertNoServerError(answer, text.slice(0, 300));
        const parsed = batchScoreRequestSchema.safeParse(JSON.parse(text));
        if (!parsed.success || parsed.data.entityIds.length > 100) {
          assert.equal(answer.status, 422, text.slice(0, 300));
        } else if (answer.status === 200) {
          const results = (answer.body as { results: { entityId: string }[] }).results;
          assert.deepEqual(
            results.map((r) => r.entityId),
            parsed.data.entityIds,
          );
        }
      }),
      { numRuns: 100 },
    );
  });
});

describe('headers: any value gets the answer its rule gives, never a 5xx', () => {
  // Header values as HTTP allows them: no control characters but tab.
  const printable = fc
    .string({ unit: 'binary-ascii', maxLength: 60 })
    .map((s) => [...s].filter((c) => c === '\t' || (c >= ' ' && c !== '\u007f')).join(''));

  test('X-Request-Timeout-Ms: 400 unless a positive integer of at most 9 digits', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(printable, fc.integer().map(String), fc.constantFrom('0', '1', ' 5 ', '1e3')),
        async (value) => {
          const answer = await send(stack.gateway, '/v1/score', '{"entityId":"u-music-1"}', {
            'x-request-timeout-ms': value,
          });
          const fine = /^\d{1,9}$/.test(value.trim()) && Number(value) >= 1;
          // A valid deadline too short to score in is answered 504 by design; everything else is the caller's fault.
          if (fine) assert.ok([200, 504].includes(answer.status), `${answer.status} for ${JSON.stringify(value)}`);
          else assert.equal(answer.status, 400, JSON.stringify(value));
        },
      ),
      { numRuns: 150 },
    );
  });

  test('Content-Type: 415 unless JSON', async () => {
    const type = fc.oneof(
      printable,
      fc.constantFrom(
        'application/json',
        'application/problem+json',
        'APPLICATION/JSON; charset=utf-8',
        'text/json',
        'application/jsonx',
      ),
    );
    await fc.assert(
      fc.asyncProperty(type, async (value) => {
        const answer = await send(stack.gateway, '/v1/score', '{"entityId":"u-music-1"}', { 'content-type': value });
        assertNoServerError(answer, JSON.stringify(value));
        const json = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i.test(value);
        assert.equal(answer.status === 415, !json, `${answer.status} for ${JSON.stringify(value)}`);
      }),
      { numRuns: 150 },
    );
  });

  test('API keys: 401 unless the exact key, as Bearer or X-API-Key', async () => {
    const presented = fc.oneof(
      printable,
      fc.constantFrom(API_KEY, `${API_KEY} `, API_KEY.slice(1), API_KEY.toUpperCase()),
    );
    await fc.assert(
      fc.asyncProperty(presented, fc.constantFrom('bearer', 'x-api-key'), async (key, how) => {
        const headers: Record<string, string> =
          how === 'bearer' ? { authorization: `Bearer ${key}` } : { 'x-api-key': key };
        const answer = await send(keyed, '/v1/score', '{"entityId":"u-music-1"}', headers);
        assertNoServerError(answer, JSON.stringify(key));
        // Header values reach the server trimmed, as HTTP requires.
        assert.equal(answer.status === 401, key.trim() !== API_KEY, `${answer.status} for ${JSON.stringify(key)}`);
      }),
      { numRuns: 150 },
    );
  });

  test('trace and request-id headers: anything is accepted, propagated or replaced, never a 5xx', async () => {
    const name = fc.constantFrom('traceparent', 'tracestate', 'x-cloud-trace-context', 'x-request-id');
    await fc.assert(
      fc.asyncProperty(
        name,
        fc.oneof(printable, fc.string({ maxLength: 700 }).map(encodeURIComponent)),
        async (header, value) => {
          const answer = await send(stack.gateway, '/v1/score', '{"entityId":"u-music-1"}', { [header]: value });
          assert.equal(answer.status, 200, `${answer.status} for ${header}: ${JSON.stringify(value)}`);
        },
      ),
      { numRuns: 100 },
    );
  });
});

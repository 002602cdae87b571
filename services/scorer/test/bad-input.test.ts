import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { HEADER, scorerErrorBodySchema } from '@splitserve/contracts';
import { makeRepository, startScorer, type RunningScorer } from './scorer-process.ts';

const MAX_BODY_BYTES = 65_536;
let scorer: RunningScorer;
before(async () => {
  const repository = await makeRepository({ interests: { maxBatchSize: 8 }, 'text-topics': { maxBatchSize: 8 } });
  scorer = await startScorer({
    env: { MODEL_REPOSITORY: repository, MAX_BODY_BYTES: String(MAX_BODY_BYTES), SCORER_INSTANCES: '1' },
  });
});
after(() => scorer.stop());

async function post(
  body: string | Uint8Array,
  headers: Record<string, string> = {},
  model = 'interests',
): Promise<{ status: number; code: string; error: string }> {
  const response = await fetch(`${scorer.url}/v2/models/${model}/infer`, { method: 'POST', headers, body });
  const parsed = scorerErrorBodySchema.safeParse(await response.json());
  return parsed.success
    ? { status: response.status, ...parsed.data }
    : { status: response.status, code: '', error: '' };
}

const features = (shape: number[], data: unknown, extra: object = {}) =>
  JSON.stringify({ inputs: [{ name: 'features', shape, datatype: 'FP32', data, ...extra }] });
const zeros = (n: number) => new Array<number>(n).fill(0);

describe('each kind of bad input gets the right 4xx and a code', () => {
  const cases: [string, () => Promise<{ status: number; code: string; error: string }>, number, string][] = [
    ['malformed JSON', () => post('{"inputs": ['), 400, 'INVALID_JSON'],
    ['invalid UTF-8', () => post(new Uint8Array([0x7b, 0xff, 0xfe, 0x7d])), 400, 'INVALID_JSON'],
    ['a body that is not an object', () => post('[1, 2]'), 400, 'INVALID_REQUEST'],
    ['no inputs', () => post('{"inputs": []}'), 400, 'INVALID_REQUEST'],
    [
      'an unknown datatype',
      () => post(JSON.stringify({ inputs: [{ name: 'features', shape: [1, 64], datatype: 'FP8', data: [] }] })),
      400,
      'INVALID_REQUEST',
    ],
    ['a negative dimension', () => post(features([-1, 64], zeros(64))), 400, 'INVALID_REQUEST'],
    [
      'an unknown input',
      () => post(JSON.stringify({ inputs: [{ name: 'x', shape: [1], datatype: 'FP32', data: [1] }] })),
      400,
      'INVALID_INPUT',
    ],
    [
      'the same input twice',
      () =>
        post(
          JSON.stringify({
            inputs: [0, 1].map(() => ({ name: 'features', shape: [1, 64], datatype: 'FP32', data: zeros(64) })),
          }),
        ),
      400,
      'INVALID_INPUT',
    ],
    [
      'a datatype the model does not take',
      () => post(JSON.stringify({ inputs: [{ name: 'features', shape: [1, 64], datatype: 'FP64', data: zeros(64) }] })),
      400,
      'INVALID_INPUT',
    ],
    ['the wrong rank', () => post(features([64], zeros(64))), 400, 'INVALID_INPUT'],
    ['the wrong feature count', () => post(features([1, 63], zeros(63))), 400, 'INVALID_INPUT'],
    ['more rows than maxBatchSize', () => post(features([9, 64], zeros(9 * 64))), 400, 'INVALID_INPUT'],
    ['zero rows', () => post(features([0, 64], [])), 400, 'INVALID_INPUT'],
    ['too few elements for the shape', () => post(features([2, 64], zeros(64))), 400, 'INVALID_INPUT'],
    ['a string where a number belongs', () => post(features([1, 64], [...zeros(63), 'x'])), 400, 'INVALID_INPUT'],
    ['a boolean where a number belongs', () => post(features([1, 64], [...zeros(63), true])), 400, 'INVALID_INPUT'],
    [
      'a fractional token id',
      () =>
        post(
          JSON.stringify({ inputs: [{ name: 'token_ids', shape: [1, 1], datatype: 'INT64', data: [1.5] }] }),
          {},
          'text-topics',
        ),
      400,
      'INVALID_INPUT',
    ],
    [
      'a token id beyond 2^53',
      () =>
        post(
          JSON.stringify({ inputs: [{ name: 'token_ids', shape: [1, 1], datatype: 'INT64', data: [2 ** 60] }] }),
          {},
          'text-topics',
        ),
      400,
      'INVALID_INPUT',
    ],
    [
      'data nested past the rank limit',
      () => post(features([1, 64], JSON.parse('['.repeat(40) + ']'.repeat(40)))),
      400,
      'INVALID_INPUT',
    ],
    [
      'no data and no binary size',
      () => post(JSON.stringify({ inputs: [{ name: 'features', shape: [1, 64], datatype: 'FP32' }] })),
      400,
      'INVALID_INPUT',
    ],
    [
      'data and a binary size at once',
      () => post(features([1, 64], zeros(64), { parameters: { binary_data_size: 256 } })),
      400,
      'INVALID_INPUT',
    ],
    [
      'an unknown output',
      () =>
        post(
          JSON.stringify({
            inputs: [{ name: 'features', shape: [1, 64], datatype: 'FP32', data: zeros(64) }],
            outputs: [{ name: 'nope' }],
          }),
        ),
      400,
      'INVALID_INPUT',
    ],
    [
      'a negative timeout parameter',
      () =>
        post(
          JSON.stringify({
            parameters: { timeout: -5 },
            inputs: [{ name: 'features', shape: [1, 64], datatype: 'FP32', data: zeros(64) }],
          }),
        ),
      400,
      'INVALID_REQUEST',
    ],
    [
      'a malformed deadline header',
      () => post(features([1, 64], zeros(64)), { [HEADER.requestTimeoutMs]: 'soon' }),
      400,
      'INVALID_REQUEST',
    ],
    [
      'a header length past the body',
      () => post(features([1, 64], zeros(64)), { [HEADER.inferenceHeaderContentLength]: '999999' }),
      400,
      'INVALID_REQUEST',
    ],
    ['a binary size that disagrees with the shape', () => binary(255, 255), 400, 'INVALID_INPUT'],
    ['a binary size past the end of the body', () => binary(256, 200), 400, 'INVALID_INPUT'],
    ['bytes no input claims', () => binary(256, 300), 400, 'INVALID_INPUT'],
    ['a body over MAX_BODY_BYTES', () => post('x'.repeat(MAX_BODY_BYTES + 1)), 413, 'PAYLOAD_TOO_LARGE'],
  ];
  for (const [name, send, status, code] of cases) {
    test(name, async () => {
      const answer = await send();
      assert.equal(answer.status, status, answer.error);
      assert.equal(answer.code, code, answer.error);
      assert.ok(answer.error.length > 0);
    });
  }
});

/** A binary request declaring `declared` bytes for a [1, 64] FP32 input and carrying `sent` bytes. */
function binary(declared: number, sent: number) {
  const json = new TextEncoder().encode(
    JSON.stringify({
      inputs: [{ name: 'features', shape: [1, 64], datatype: 'FP32', parameters: { binary_data_size: declared } }],
    }),
  );
  const body = new Uint8Array(json.byteLength + sent);
  body.set(json);
  return post(body, { [HEADER.inferenceHeaderContentLength]: String(json.byteLength) });
}

describe('random bodies never get a 5xx', () => {
  const answered = (status: number, code: string) => status >= 400 && status < 500 && code !== '';

  test('arbitrary JSON values', async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue({ maxDepth: 4 }), async (value) => {
        const { status, code } = await post(JSON.stringify(value));
        assert.ok(answered(status, code), `${status} ${code} for ${JSON.stringify(value).slice(0, 200)}`);
      }),
      { numRuns: 150 },
    );
  });

  test('request-shaped objects with hostile fields', async () => {
    const hostile = fc.oneof(
      fc.jsonValue({ maxDepth: 2 }),
      fc.constantFrom(1e308, -0, 2 ** 64, Number.MAX_SAFE_INTEGER + 2, '__proto__', 'constructor'),
    );
    const input = fc.record(
      {
        name: fc.oneof(fc.constantFrom('features', 'token_ids', '__proto__'), fc.string()),
        shape: fc.oneof(fc.array(fc.integer({ min: -2, max: 70 }), { maxLength: 4 }), hostile),
        datatype: fc.oneof(fc.constantFrom('FP32', 'INT64', 'BYTES', 'BOOL', 'FP16'), hostile),
        data: fc.oneof(fc.array(fc.oneof(fc.double(), fc.integer(), hostile), { maxLength: 70 }), hostile),
        parameters: fc.oneof(
          fc.record({ binary_data_size: fc.oneof(fc.integer({ min: -5, max: 300 }), hostile) }),
          hostile,
        ),
      },
      { requiredKeys: [] },
    );
    const request = fc.record(
      {
        id: hostile,
        inputs: fc.oneof(fc.array(input, { maxLength: 3 }), hostile),
        outputs: fc.oneof(fc.array(fc.record({ name: fc.oneof(fc.string(), hostile) }), { maxLength: 2 }), hostile),
        parameters: fc.oneof(fc.record({ timeout: hostile, binary_data_output: hostile }), hostile),
      },
      { requiredKeys: [] },
    );
    await fc.assert(
      fc.asyncProperty(request, fc.constantFrom('interests', 'text-topics'), async (body, model) => {
        const { status, code } = await post(JSON.stringify(body), {}, model);
        assert.ok(
          status === 200 || answered(status, code),
          `${status} ${code} for ${JSON.stringify(body).slice(0, 300)}`,
        );
      }),
      { numRuns: 300 },
    );
  });

  test('random bytes with a random binary header length', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 600 }), fc.integer({ min: -10, max: 700 }), async (bytes, length) => {
        const { status, code } = await post(bytes, { [HEADER.inferenceHeaderContentLength]: String(length) });
        assert.ok(answered(status, code), `${status} ${code}`);
      }),
      { numRuns: 150 },
    );
  });
});

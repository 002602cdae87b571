import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { modelMetadataSchema, scorerErrorBodySchema, serverMetadataSchema } from '@splitserve/contracts';
import { startScorer, type RunningScorer } from './scorer-process.ts';
import { inferBinary, inferJson } from './oip-client.ts';
import { readMetric } from '@splitserve/test-support';

let scorer: RunningScorer;
before(async () => {
  scorer = await startScorer();
});
after(() => scorer.stop());

const get = (path: string) => fetch(`${scorer.url}${path}`);
const row = (seed: number) => Array.from({ length: 64 }, (_, i) => ((i * 7 + seed) % 10) / 10);

describe('health and metadata', () => {
  test('liveness and readiness answer 200 once every model is warm', async () => {
    assert.deepEqual(await (await get('/v2/health/live')).json(), { live: true });
    const ready = await get('/v2/health/ready');
    assert.equal(ready.status, 200);
    assert.deepEqual(await ready.json(), { ready: true });
  });

  test('server metadata advertises the binary tensor extension', async () => {
    const metadata = serverMetadataSchema.parse(await (await get('/v2')).json());
    assert.equal(metadata.name, 'splitserve-scorer');
    assert.ok(metadata.extensions.includes('binary_tensor_data'));
  });

  test('model metadata comes from the model itself, with and without a version', async () => {
    const latest = modelMetadataSchema.parse(await (await get('/v2/models/interests')).json());
    const v1 = modelMetadataSchema.parse(await (await get('/v2/models/interests/versions/1')).json());
    assert.deepEqual(latest, v1);
    assert.deepEqual(latest.inputs, [{ name: 'features', datatype: 'FP32', shape: [-1, 64] }]);
    assert.deepEqual(latest.outputs, [{ name: 'scores', datatype: 'FP32', shape: [-1, 16] }]);
    assert.equal((latest.parameters?.['labels'] as Record<string, string[]>)['scores']?.length, 16);
    const topics = modelMetadataSchema.parse(await (await get('/v2/models/text-topics')).json());
    assert.deepEqual(topics.inputs, [{ name: 'token_ids', datatype: 'INT64', shape: [-1, -1] }]);
    assert.deepEqual(
      topics.outputs.map((o) => o.datatype),
      ['FP32', 'INT64'],
    );
  });

  test('model readiness, with and without a version', async () => {
    for (const path of ['/v2/models/interests/ready', '/v2/models/interests/versions/1/ready']) {
      const response = await get(path);
      assert.equal(response.status, 200);
      assert.equal(((await response.json()) as { ready: boolean }).ready, true);
    }
  });

  test('unknown models, versions and routes are 404 with a code', async () => {
    for (const [path, code] of [
      ['/v2/models/nope', 'MODEL_NOT_FOUND'],
      ['/v2/models/interests/versions/9', 'MODEL_NOT_FOUND'],
      ['/v2/models/nope/ready', 'MODEL_NOT_FOUND'],
      ['/v3', 'ROUTE_NOT_FOUND'],
    ] as const) {
      const response = await get(path);
      assert.equal(response.status, 404, path);
      assert.equal(scorerErrorBodySchema.parse(await response.json()).code, code);
    }
    const infer = await inferJson(scorer.url, 'nope', { inputs: [] });
    assert.equal(infer.status, 404);
  });

  test('a request id is echoed, or made up when the caller sends none', async () => {
    const echoed = await fetch(`${scorer.url}/v2/health/live`, { headers: { 'x-request-id': 'abc-123' } });
    assert.equal(echoed.headers.get('x-request-id'), 'abc-123');
    const made = await get('/v2/health/live');
    assert.match(made.headers.get('x-request-id') ?? '', /^[0-9a-f-]{36}$/);
  });
});

describe('inference', () => {
  test('JSON inference echoes the id and returns every output', async () => {
    const { status, body } = await inferJson(scorer.url, 'interests', {
      id: 'req-1',
      inputs: [{ name: 'features', shape: [2, 64], datatype: 'FP32', data: [row(1), row(2)] }],
    });
    assert.equal(status, 200);
    assert.equal(body['id'], 'req-1');
    assert.equal(body['model_name'], 'interests');
    assert.equal(body['model_version'], '1');
    const [scores] = body['outputs'] as { name: string; shape: number[]; data: number[] }[];
    assert.equal(scores!.name, 'scores');
    assert.deepEqual(scores!.shape, [2, 16]);
    assert.ok(scores!.data.every((v) => v > 0 && v < 1));
  });

  test('nested and flat data give the same result', async () => {
    const nested = await inferJson(scorer.url, 'interests', {
      inputs: [{ name: 'features', shape: [2, 64], datatype: 'FP32', data: [row(3), row(4)] }],
    });
    const flat = await inferJson(scorer.url, 'interests', {
      inputs: [{ name: 'features', shape: [2, 64], datatype: 'FP32', data: [...row(3), ...row(4)] }],
    });
    assert.deepEqual(nested.body['outputs'], flat.body['outputs']);
  });

  test('binary tensors in and out give the same results as JSON', async () => {
    const rows = [row(5), row(6), row(7)];
    const json = await inferJson(scorer.url, 'interests', {
      inputs: [{ name: 'features', shape: [3, 64], datatype: 'FP32', data: rows }],
    });
    const binary = await inferBinary(
      scorer.url,
      'interests',
      { inputs: [{ name: 'features', shape: [3, 64], datatype: 'FP32' }], parameters: { binary_data_output: true } },
      [new Uint8Array(new Float32Array(rows.flat()).buffer)],
    );
    assert.equal(binary.status, 200);
    assert.equal(binary.raw['scores']?.byteLength, 3 * 16 * 4);
    const jsonScores = (json.body['outputs'] as { data: number[] }[])[0]!.data;
    assert.deepEqual(binary.body.outputs[0]!.data, jsonScores);
  });

  test('INT64 tensors: binary and JSON agree, per-output binary selection works', async () => {
    const tokens = [
      [1, 9, 17, 25],
      [2, 10, 0, 0],
    ];
    const json = await inferJson(scorer.url, 'text-topics', {
      inputs: [{ name: 'token_ids', shape: [2, 4], datatype: 'INT64', data: tokens }],
    });
    const binary = await inferBinary(
      scorer.url,
      'text-topics',
      {
        inputs: [{ name: 'token_ids', shape: [2, 4], datatype: 'INT64' }],
        outputs: [{ name: 'topic', parameters: { binary_data: true } }, { name: 'probabilities' }],
      },
      [new Uint8Array(BigInt64Array.from(tokens.flat(), BigInt).buffer)],
    );
    assert.equal(binary.status, 200);
    assert.deepEqual(
      binary.body.outputs.map((o) => o.name),
      ['topic', 'probabilities'],
    );
    assert.ok(binary.raw['topic'] !== undefined && binary.raw['probabilities'] === undefined);
    const byName = (outputs: { name: string; data?: unknown[] }[], name: string) =>
      outputs.find((o) => o.name === name)?.data;
    const jsonOutputs = json.body['outputs'] as { name: string; data: unknown[] }[];
    assert.deepEqual(byName(binary.body.outputs, 'topic'), byName(jsonOutputs, 'topic'));
    assert.deepEqual(byName(binary.body.outputs, 'probabilities'), byName(jsonOutputs, 'probabilities'));
  });

  test('requested outputs are the only ones returned', async () => {
    const { body } = await inferJson(scorer.url, 'text-topics', {
      inputs: [{ name: 'token_ids', shape: [1, 2], datatype: 'INT64', data: [3, 11] }],
      outputs: [{ name: 'topic' }],
    });
    const outputs = body['outputs'] as { name: string; data: number[] }[];
    assert.deepEqual(
      outputs.map((o) => o.name),
      ['topic'],
    );
  });

  test('concurrent requests are batched and each gets back its own rows', async () => {
    const seeds = Array.from({ length: 24 }, (_, i) => i);
    const alone = await Promise.all(
      seeds.slice(0, 4).map((seed) =>
        inferJson(scorer.url, 'interests-heavy', {
          inputs: [{ name: 'features', shape: [1, 64], datatype: 'FP32', data: row(seed) }],
        }),
      ),
    );
    const batchesBefore = await readMetric(scorer.url, 'scorer_batch_rows_count', { model: 'interests-heavy' });
    const together = await Promise.all(
      seeds.map((seed) =>
        inferJson(scorer.url, 'interests-heavy', {
          inputs: [{ name: 'features', shape: [1, 64], datatype: 'FP32', data: row(seed) }],
        }),
      ),
    );
    const batches =
      (await readMetric(scorer.url, 'scorer_batch_rows_count', { model: 'interests-heavy' })) - batchesBefore;
    assert.ok(together.every((r) => r.status === 200));
    assert.ok(batches < seeds.length, `24 concurrent requests ran in ${batches} batches`);
    for (const [i, single] of alone.entries()) {
      const a = (single.body['outputs'] as { data: number[] }[])[0]!.data;
      const b = (together[i]!.body['outputs'] as { data: number[] }[])[0]!.data;
      a.forEach((v, j) => assert.ok(Math.abs(v - b[j]!) < 1e-5, `row ${i} differs when batched`));
    }
  });

  test('/metrics counts requests by model, version and outcome', async () => {
    const before = await readMetric(scorer.url, 'scorer_requests_total', { model: 'interests', outcome: 'ok' });
    await inferJson(scorer.url, 'interests', {
      inputs: [{ name: 'features', shape: [1, 64], datatype: 'FP32', data: row(9) }],
    });
    const bad = await readMetric(scorer.url, 'scorer_requests_total', { model: 'interests', outcome: 'bad_request' });
    await inferJson(scorer.url, 'interests', {
      inputs: [{ name: 'features', shape: [1, 3], datatype: 'FP32', data: [1, 2, 3] }],
    });
    assert.equal(
      await readMetric(scorer.url, 'scorer_requests_total', { model: 'interests', outcome: 'ok' }),
      before + 1,
    );
    assert.equal(
      await readMetric(scorer.url, 'scorer_requests_total', { model: 'interests', outcome: 'bad_request' }),
      bad + 1,
    );
  });
});

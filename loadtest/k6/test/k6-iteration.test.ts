// Runs the scripts' iteration against fake services: the gateway's answers are validated against the contracts'
// schemas, and the scorer's are decoded and encoded with the scorer's own tensor code, so the requests the scripts
// build and the answers they accept stay those of the real services.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { batchScoreResponseSchema, problemDetailsSchema, scoreResponseSchema } from '@splitserve/contracts';
import { decodeInferenceRequest } from '../../../services/scorer/src/tensors/decode-request.ts';
import { encodeInferenceResponse } from '../../../services/scorer/src/tensors/encode-response.ts';
import { categoryOf } from '../lib/entity-ids.ts';
import { METRIC } from '../lib/metric-names.ts';
import { FEATURE_COUNT, INTEREST_LABELS } from '../lib/model-io.ts';
import { CHECK } from '../lib/response-inspection.ts';
import { recorder, type FakeResponse, type RecordedRequest } from './k6-fakes/recorder.ts';
import { loadK6Script } from './load-k6-script.ts';

const script = (profile: string) => fileURLToPath(new URL(`../${profile}.ts`, import.meta.url));
const json = (status: number, body: unknown, headers: Record<string, string> = {}): FakeResponse => ({
  status,
  headers: { 'Content-Type': 'application/json', ...headers },
  body: JSON.stringify(body),
});

/** Scores for an entity as the gateway ranks them: its category first unless told otherwise. */
function rankedScores(entityId: string, topLabel = categoryOf(entityId)) {
  const labels = [topLabel!, ...INTEREST_LABELS.filter((label) => label !== topLabel)];
  return labels.map((label, i) => ({ label, score: 0.9 - i * 0.05 }));
}

function scoreBody(request: RecordedRequest, override: Partial<{ degraded: string[]; scores: unknown }> = {}) {
  const { entityId, model } = JSON.parse(String(request.body)) as { entityId: string; model?: string };
  const body = {
    entityId,
    model: model ?? 'interests',
    modelVersion: '1',
    scores: rankedScores(entityId),
    degraded: [],
    requestId: 'r-1',
    ...override,
  };
  scoreResponseSchema.parse(body);
  return body;
}

const shed503 = json(
  503,
  problemDetailsSchema.parse({
    type: 'https://splitserve.dev/problems/dependency-unavailable',
    title: 'Service Unavailable',
    status: 503,
    code: 'DEPENDENCY_UNAVAILABLE',
    dependency: 'scorer',
  }),
  { 'Retry-After': '1' },
);

/** Loads `profile`'s script with `env`, answers every request with `respond`, runs `iterations` iterations. */
async function run(profile: string, env: Record<string, string>, respond: typeof recorder.respond, iterations = 5) {
  recorder.reset();
  const loaded = await loadK6Script(script(profile), env);
  recorder.respond = respond;
  for (let i = 0; i < iterations; i++) loaded.default();
  const failedChecks = recorder.checks.filter((entry) => !entry.passed).map((entry) => entry.name);
  const rate = (name: string) => recorder.samples(name).map((sample) => sample.value);
  return { failedChecks, rate, checkNames: new Set(recorder.checks.map((entry) => entry.name)) };
}

test('gateway: POST /v1/score for an entity of the id space, with the API key and the route tag', async () => {
  const { failedChecks, rate, checkNames } = await run('reference', { API_KEY: 'k-123', ENTITY_COUNT: '50' }, (r) =>
    json(200, scoreBody(r)),
  );
  const request = recorder.requests[0]!;
  assert.equal(request.url, 'http://127.0.0.1:8080/v1/score');
  assert.equal(request.params.headers?.['Authorization'], 'Bearer k-123');
  assert.equal(request.params.tags?.['route'], 'score');
  const body = JSON.parse(String(request.body)) as { entityId: string; model: string };
  assert.match(body.entityId, /^u-[a-z]+-([0-9]|[1-4][0-9])$/);
  assert.equal(body.model, 'interests-heavy', 'the reference profile asks for the reference pipeline');
  assert.deepEqual(failedChecks, []);
  assert.ok(!checkNames.has(CHECK.topLabel), "interests-heavy's scores mean nothing: no top-label check");
  assert.deepEqual(rate(METRIC.errors), [false, false, false, false, false]);
  assert.deepEqual(rate(METRIC.shed), [false, false, false, false, false]);
  assert.deepEqual(rate(METRIC.degraded), [false, false, false, false, false]);
});

test('gateway: unsorted scores, unknown labels or a wrong top label are errors, with the failed check named', async () => {
  const cases: [string, (r: RecordedRequest) => FakeResponse][] = [
    [
      CHECK.sorted,
      (r) => json(200, scoreBody(r, { scores: rankedScores(JSON.parse(String(r.body)).entityId).reverse() })),
    ],
    [CHECK.labels, (r) => json(200, scoreBody(r, { scores: [{ label: 'nope', score: 1 }] }))],
    [CHECK.topLabel, (r) => json(200, scoreBody(r, { scores: rankedScores('u-x-1', 'sports').slice(0) }))],
    [CHECK.identity, () => json(200, { scores: [] })],
  ];
  for (const [check, respond] of cases) {
    // u-sports-… ids would make the wrong top label right: keep to the other categories.
    const { failedChecks, rate } = await run('smoke', { ENTITY_COUNT: '16' }, (r) =>
      JSON.parse(String(r.body)).entityId.startsWith('u-sports-') ? json(200, scoreBody(r)) : respond(r),
    );
    assert.ok(failedChecks.includes(check), `${check}: failed ${JSON.stringify(failedChecks)}`);
    assert.ok(rate(METRIC.errors).some(Boolean), check);
  }
});

test('gateway: a degraded answer counts as degraded, not as an error, and skips the top-label check', async () => {
  const { failedChecks, rate, checkNames } = await run('smoke', {}, (r) =>
    json(200, scoreBody(r, { degraded: ['events'], scores: rankedScores('u-x-1', 'pets') })),
  );
  assert.deepEqual(failedChecks, []);
  assert.ok(!checkNames.has(CHECK.topLabel));
  assert.ok(rate(METRIC.degraded).every(Boolean));
  assert.ok(!rate(METRIC.errors).some(Boolean));
});

test('503 with Retry-After is a shed; 503 without it, 504, 500 and transport errors are errors', async () => {
  const shed = await run('stress', {}, () => shed503);
  assert.ok(shed.rate(METRIC.shed).every(Boolean));
  assert.ok(!shed.rate(METRIC.errors).some(Boolean));
  assert.deepEqual(shed.failedChecks, []);
  for (const response of [
    { ...shed503, headers: {} },
    json(504, { code: 'DEADLINE_EXCEEDED' }),
    json(500, {}),
    { status: 0, headers: {}, body: null },
  ]) {
    const failed = await run('stress', {}, () => response);
    assert.ok(failed.rate(METRIC.errors).every(Boolean), `status ${response.status}`);
    assert.ok(!failed.rate(METRIC.shed).some(Boolean), `status ${response.status}`);
    assert.deepEqual(failed.failedChecks.toSorted(), Array(5).fill(CHECK.status));
  }
});

test('gateway-batch: distinct entities; per-entity sheds and errors counted apart from the request', async () => {
  const { failedChecks, rate } = await run('smoke', { TARGET: 'gateway-batch', BATCH_SIZE: '4' }, (r) => {
    const { entityIds } = JSON.parse(String(r.body)) as { entityIds: string[] };
    assert.equal(new Set(entityIds).size, 4);
    const results = entityIds.map((entityId, i) => {
      if (i === 1) return { entityId, error: { type: 't', title: 'x', status: 503, code: 'CIRCUIT_OPEN' } };
      if (i === 2) return { entityId, error: { type: 't', title: 'x', status: 404, code: 'ENTITY_NOT_FOUND' } };
      const { requestId: _, ...scores } = scoreBody({ ...r, body: JSON.stringify({ entityId }) });
      return scores;
    });
    return json(200, batchScoreResponseSchema.parse({ results, requestId: 'r-2' }));
  });
  assert.equal(recorder.requests[0]?.url, 'http://127.0.0.1:8080/v1/score/batch');
  assert.deepEqual(failedChecks, []);
  assert.ok(!rate(METRIC.errors).some(Boolean), 'the request itself was answered');
  assert.deepEqual(rate(METRIC.batchItemsShed).slice(0, 4), [false, true, false, false]);
  assert.deepEqual(rate(METRIC.batchItemsErrors).slice(0, 4), [false, false, true, false]);
});

/** The scorer, as far as tensors go: its own request decoding and response encoding around a fake model. */
const MODEL = {
  inputs: [{ name: 'features', datatype: 'FP32' as const, ortType: 'float32' as const, shape: [-1, FEATURE_COUNT] }],
  outputs: [{ name: 'scores', datatype: 'FP32' as const, ortType: 'float32' as const, shape: [-1, 16] }],
  maxBatchSize: 16,
};
function fakeScorer(request: RecordedRequest): FakeResponse {
  const binary = request.body instanceof ArrayBuffer;
  const bytes = binary ? new Uint8Array(request.body as ArrayBuffer) : new TextEncoder().encode(String(request.body));
  const length = binary ? Number(request.params.headers?.['Inference-Header-Content-Length']) : undefined;
  const decoded = decodeInferenceRequest(bytes, length, MODEL);
  const features = decoded.inputs['features']!.data as Float32Array;
  const scores = Float32Array.from({ length: decoded.rows * 16 }, (_, i) => features[i % features.length]!);
  const outputs = decoded.outputs.length > 0 ? decoded.outputs : [{ name: 'scores', binary: false }];
  const model = /\/v2\/models\/([^/]+)\/infer$/.exec(request.url)![1]!;
  const encoded = encodeInferenceResponse(
    { modelName: model, modelVersion: '1', id: decoded.id },
    { scores: { type: 'float32', dims: [decoded.rows, 16], data: scores } },
    outputs,
  );
  if (typeof encoded.body === 'string') return json(200, JSON.parse(encoded.body));
  return {
    status: 200,
    headers: { 'Inference-Header-Content-Length': String(encoded.jsonByteLength) },
    body: encoded.body.slice().buffer,
  };
}

test('scorer: JSON and Triton binary requests the scorer decodes, and its answers pass every check', async () => {
  for (const target of ['scorer', 'scorer-binary']) {
    const { failedChecks, rate, checkNames } = await run('smoke', { TARGET: target, BATCH_SIZE: '3' }, fakeScorer);
    const request = recorder.requests[0]!;
    assert.equal(request.url, 'http://127.0.0.1:8081/v2/models/interests/infer', target);
    assert.equal(request.params.headers?.['X-Request-Timeout-Ms'], '1000', 'a gateway-like deadline by default');
    assert.equal(request.params.responseType, target === 'scorer' ? 'text' : 'binary');
    assert.deepEqual(failedChecks, [], target);
    assert.ok(checkNames.has(target === 'scorer' ? CHECK.output : CHECK.framing), target);
    assert.ok(!rate(METRIC.errors).some(Boolean), target);
  }
});

test('scorer-binary: a body whose framing does not add up is an error', async () => {
  const { failedChecks, rate } = await run('smoke', { TARGET: 'scorer-binary', ID_TOKEN: 't' }, (r) => ({
    ...fakeScorer(r),
    headers: { 'Inference-Header-Content-Length': '7' },
  }));
  assert.equal(recorder.requests[0]?.params.headers?.['Authorization'], 'Bearer t');
  assert.ok(failedChecks.includes(CHECK.framing));
  assert.ok(rate(METRIC.errors).every(Boolean));
});

test('requests are tagged with the phase of the run they were sent in', async () => {
  recorder.reset();
  const loaded = await loadK6Script(script('stress'), { START_RATE: '10', PEAK_RATE: '30', STEPS: '3' });
  recorder.respond = (r) => json(200, scoreBody(r));
  const phases: string[] = [];
  for (const seconds of [5, 35, 45, 75, 85]) {
    recorder.elapsedMs = seconds * 1000;
    loaded.default();
    phases.push(recorder.requests.at(-1)?.params.tags?.['phase'] ?? '');
  }
  // Plateaus of 30 s at 10/s, 20/s and 30/s with 10 s ramps between them.
  assert.deepEqual(phases, ['rate-10', 'ramp', 'rate-20', 'ramp', 'rate-30']);
});

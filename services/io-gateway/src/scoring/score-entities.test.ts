import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { deadlineIn } from '../upstream/deadline.ts';
import type { CallContext, FeatureSource } from '../upstream/feature-source.ts';
import type { ScorerClient } from '../upstream/scorer-client.ts';
import { UpstreamError } from '../upstream/upstream-error.ts';
import { scoreEntities } from './score-entities.ts';
import type { ScoringPipeline } from './scoring-pipeline.ts';

const LABELS = ['a', 'b'];

function source(name: string, required: boolean, fetch: FeatureSource['fetch']): FeatureSource & { calls: number } {
  const counted = {
    name,
    required,
    defaults: {},
    calls: 0,
    fetch: (entityId: string, context: CallContext) => {
      counted.calls++;
      return fetch(entityId, context);
    },
  };
  return counted;
}

function pipelineOf(sources: FeatureSource[]): ScoringPipeline {
  return {
    name: 'test',
    sources,
    writeRow: () => undefined,
    width: 1,
    target: { model: 'm', input: 'x', output: 'y' },
    labels: LABELS,
  };
}

function scorer(refusal?: UpstreamError): ScorerClient & { calls: number } {
  const client = {
    calls: 0,
    refusal: () => refusal,
    infer: (_target: unknown, input: { rows: number }) => {
      client.calls++;
      return Promise.resolve({
        data: new Float32Array(input.rows * 2),
        rows: input.rows,
        columns: 2,
        modelVersion: '1',
      });
    },
    metadata: () => Promise.reject(new Error('not used')),
  };
  return client;
}

const options = {
  topK: undefined,
  fetchConcurrency: 4,
  modelInfo: () => Promise.resolve({ labels: LABELS, maxBatchSize: 8 }),
};
const context = (ms = 5_000): CallContext => ({ deadline: deadlineIn(ms), headers: {} });

test('a required source that fails decides the entity at once, without waiting for slower sources', async () => {
  const slow = source('slow', false, async () => {
    await sleep(300);
    return {};
  });
  const failing = source('required', true, () => Promise.reject(new UpstreamError('required', 'circuit-open', 'open')));
  const started = performance.now();
  const [result] = await scoreEntities(pipelineOf([slow, failing]), scorer(), ['e-1'], context(), options);
  const elapsedMs = performance.now() - started;
  assert.ok(result !== undefined && 'error' in result);
  assert.equal(result.error.code, 'CIRCUIT_OPEN');
  assert.ok(elapsedMs < 100, `answered after ${elapsedMs.toFixed(0)} ms, waiting for the slow source`);
});

test('a required source that does not know the entity still gives ENTITY_NOT_FOUND', async () => {
  const missing = source('required', true, () =>
    Promise.reject(new UpstreamError('required', 'status', 'answered 404', { status: 404 })),
  );
  const [result] = await scoreEntities(pipelineOf([missing]), scorer(), ['e-1'], context(), options);
  assert.ok(result !== undefined && 'error' in result);
  assert.equal(result.error.code, 'ENTITY_NOT_FOUND');
});

test('an optional source that fails is replaced by its defaults and named in degraded', async () => {
  const ok = source('required', true, () => Promise.resolve({}));
  const failing = source('optional', false, () => Promise.reject(new UpstreamError('optional', 'timeout', 'slow')));
  const [result] = await scoreEntities(pipelineOf([ok, failing]), scorer(), ['e-1'], context(), options);
  assert.ok(result !== undefined && !('error' in result));
  assert.deepEqual(result.degraded, ['optional']);
});

test('with the scorer circuit open, every entity fails at once and no source is called', async () => {
  const profile = source('profile', true, () => Promise.resolve({}));
  const client = scorer(new UpstreamError('scorer', 'circuit-open', 'circuit open'));
  const results = await scoreEntities(pipelineOf([profile]), client, ['e-1', 'e-2'], context(), options);
  assert.deepEqual(
    results.map((r) => ('error' in r ? [r.error.code, r.error.dependency] : 'scored')),
    [
      ['CIRCUIT_OPEN', 'scorer'],
      ['CIRCUIT_OPEN', 'scorer'],
    ],
  );
  assert.equal(profile.calls, 0);
  assert.equal(client.calls, 0);
});

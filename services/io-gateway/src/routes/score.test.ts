import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createLifecycle, createLogger } from '@splitserve/service-kit';
import { createApp } from '../app.ts';
import { createGatewayMetrics } from '../observability/metrics.ts';
import type { FeatureSource } from '../upstream/feature-source.ts';
import type { ScorerClient } from '../upstream/scorer-client.ts';

/** A source written in code that never answers and ignores the abort: only the request's own deadline can end it. */
const deaf: FeatureSource = { name: 'deaf', required: true, defaults: {}, fetch: () => new Promise(() => undefined) };

const scorer: ScorerClient = {
  refusal: () => undefined,
  infer: () => Promise.reject(new Error('never reached')),
  metadata: () => Promise.reject(new Error('never reached')),
};

function app() {
  return createApp({
    scoring: {
      pipelines: new Map([
        [
          'm',
          {
            pipeline: {
              name: 'm',
              sources: [deaf],
              writeRow: () => undefined,
              width: 1,
              target: { model: 'm', input: 'x', output: 'y' },
              labels: ['a'],
            },
            modelInfo: () => Promise.resolve({ labels: ['a'], maxBatchSize: 8 }),
          },
        ],
      ]),
      defaultPipeline: 'm',
      scorer,
      close: () => Promise.resolve(),
    },
    metrics: createGatewayMetrics(),
    logger: createLogger({ level: 'silent', service: 'test' }),
    lifecycle: createLifecycle(),
    limits: { requestTimeoutMs: 5_000, maxBodyBytes: 4_096, batchMaxEntities: 8, batchFetchConcurrency: 2 },
    apiKeys: [],
    serverVersion: '0.0.0',
    projectId: undefined,
  });
}

for (const [path, body] of [
  ['/v1/score', { entityId: 'u-1' }],
  ['/v1/score/batch', { entityIds: ['u-1', 'u-2', 'u-3'] }],
] as const) {
  test(`${path}: a source that ignores the abort cannot hold the answer past the deadline`, async () => {
    const started = performance.now();
    const response = await app().request(path, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-timeout-ms': '80' },
      body: JSON.stringify(body),
    });
    const elapsedMs = performance.now() - started;
    assert.equal(response.status, 504);
    assert.equal(((await response.json()) as { code: string }).code, 'DEADLINE_EXCEEDED');
    assert.ok(elapsedMs >= 75 && elapsedMs < 80 + 500, `answered after ${elapsedMs.toFixed(0)} ms`);
  });
}

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { HEADER } from '@splitserve/contracts';
import { makeRepository, startScorer, type RunningScorer } from './scorer-process.ts';
import { inferJson } from './oip-client.ts';
import { LATE_ARRIVAL_GRACE_MS } from '@splitserve/service-kit';
import { readMetric } from '@splitserve/test-support';

const oneRow = (seed = 1) => ({
  inputs: [
    { name: 'features', shape: [1, 64], datatype: 'FP32', data: Array.from({ length: 64 }, (_, i) => (i + seed) % 3) },
  ],
});
const heavy = (scorer: RunningScorer, headers: Record<string, string> = {}, seed = 1) =>
  inferJson(scorer.url, 'interests-heavy', oneRow(seed), headers);

describe('a worker that dies mid-batch', () => {
  let scorer: RunningScorer;
  before(async () => {
    const repository = await makeRepository({ 'interests-heavy': { instances: 1, maxBatchSize: 8, warmupRuns: 1 } });
    scorer = await startScorer({ env: { MODEL_REPOSITORY: repository, SCORER_FAULT_INJECTION: 'true' } });
  });
  after(() => scorer.stop());

  for (const how of ['exit', 'throw']) {
    test(`(${how}) fails every request it held at once, and the next request succeeds`, async () => {
      const restartsBefore = await readMetric(scorer.url, 'scorer_worker_restarts_total');
      // Eight rows (about 100 ms) occupy the only worker, so the next five queue up and leave as one batch.
      const busy = inferJson(scorer.url, 'interests-heavy', {
        inputs: [{ name: 'features', shape: [8, 64], datatype: 'FP32', data: new Array(8 * 64).fill(0.5) }],
      });
      await new Promise((resolve) => setTimeout(resolve, 5));
      const armed = await fetch(`${scorer.url}/debug/models/interests-heavy/kill-next-batch?how=${how}`, {
        method: 'POST',
      });
      assert.equal(armed.status, 200);
      const started = performance.now();
      const held = await Promise.all([1, 2, 3, 4, 5].map((seed) => heavy(scorer, {}, seed)));
      const elapsedMs = performance.now() - started;
      assert.equal((await busy).status, 200);
      for (const answer of held) {
        assert.equal(answer.status, 500);
        assert.equal(answer.body['code'], 'WORKER_DIED');
      }
      assert.ok(elapsedMs < 2_000, `held requests were answered after ${elapsedMs} ms`);
      const next = await heavy(scorer);
      assert.equal(next.status, 200, JSON.stringify(next.body));
      assert.equal(await readMetric(scorer.url, 'scorer_worker_restarts_total'), restartsBefore + 1);
      assert.equal((await fetch(`${scorer.url}/v2/health/ready`)).status, 200);
    });
  }

  test('the kill hook is not mounted unless enabled', async () => {
    const plain = await startScorer({ env: { MODEL_REPOSITORY: await makeRepository({ interests: {} }) } });
    try {
      const response = await fetch(`${plain.url}/debug/models/interests/kill-next-batch`, { method: 'POST' });
      assert.equal(response.status, 404);
    } finally {
      await plain.stop();
    }
  });
});

describe('admission control and deadlines', () => {
  let scorer: RunningScorer;
  before(async () => {
    const repository = await makeRepository({
      'interests-heavy': { instances: 1, maxBatchSize: 1, maxQueueSize: 2, warmupRuns: 1 },
    });
    scorer = await startScorer({ env: { MODEL_REPOSITORY: repository } });
  });
  after(() => scorer.stop());

  test('past the queue bound, requests get 503 with Retry-After at once', async () => {
    const answers = await Promise.all(Array.from({ length: 10 }, (_, i) => heavy(scorer, {}, i)));
    const shed = answers.filter((a) => a.status === 503);
    const served = answers.filter((a) => a.status === 200);
    assert.equal(shed.length + served.length, 10);
    assert.ok(shed.length >= 5, `only ${shed.length} of 10 were shed with a queue of 2`);
    for (const answer of shed) {
      assert.equal(answer.body['code'], 'OVERLOADED');
      assert.equal(answer.headers.get(HEADER.retryAfter), '1');
    }
  });

  test('a request whose deadline passes in the queue is answered with 504 and never run', async () => {
    const batchesBefore = await readMetric(scorer.url, 'scorer_batch_rows_count');
    const first = heavy(scorer);
    const started = performance.now();
    const late = await Promise.all([
      heavy(scorer, { [HEADER.requestTimeoutMs]: '5' }),
      inferJson(scorer.url, 'interests-heavy', { ...oneRow(), parameters: { timeout: 5_000 } }),
    ]);
    const elapsedMs = performance.now() - started;
    for (const answer of late) {
      assert.equal(answer.status, 504);
      assert.equal(answer.body['code'], 'DEADLINE_EXCEEDED');
    }
    assert.ok(elapsedMs < 500, `expired requests were answered after ${elapsedMs} ms`);
    assert.equal((await first).status, 200);
    assert.equal(await readMetric(scorer.url, 'scorer_batch_rows_count'), batchesBefore + 1);
  });
});

describe('the event loop stays free while every worker is busy', () => {
  let scorer: RunningScorer;
  before(async () => {
    scorer = await startScorer({ env: { MODEL_REPOSITORY: await makeRepository({ 'interests-heavy': {} }) } });
  });
  after(() => scorer.stop());

  test('liveness and metrics answer promptly under saturating load', async () => {
    const stopAt = performance.now() + 1_500;
    const clients = Array.from({ length: 32 }, async (_, i) => {
      while (performance.now() < stopAt) await heavy(scorer, {}, i);
    });
    const probesMs: number[] = [];
    await new Promise((resolve) => setTimeout(resolve, 200));
    while (performance.now() < stopAt - 100) {
      const sent = performance.now();
      const response = await fetch(`${scorer.url}/v2/health/live`);
      assert.equal(response.status, 200);
      await response.arrayBuffer();
      probesMs.push(performance.now() - sent);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    await Promise.all(clients);
    probesMs.sort((a, b) => a - b);
    const median = probesMs[Math.floor(probesMs.length / 2)]!;
    assert.ok(probesMs.length > 20);
    assert.ok(median < 25, `median liveness latency ${median.toFixed(1)} ms under load`);
    assert.ok(probesMs.at(-1)! < 250, `slowest liveness probe ${probesMs.at(-1)!.toFixed(1)} ms`);
    assert.ok((await readMetric(scorer.url, 'scorer_batch_rows_sum')) > 0);
  });
});

describe('start-up and shutdown', () => {
  test('liveness answers while models load; readiness waits for them', async () => {
    const repository = await makeRepository({ 'interests-heavy': { warmupRuns: 15 } });
    const scorer = await startScorer({ env: { MODEL_REPOSITORY: repository }, waitReady: false });
    try {
      assert.equal((await fetch(`${scorer.url}/v2/health/live`)).status, 200);
      assert.equal((await fetch(`${scorer.url}/v2/health/ready`)).status, 503);
      const early = await heavy(scorer);
      assert.equal(early.status, 503);
      assert.equal(early.body['code'], 'MODEL_NOT_READY');
      let ready = 503;
      for (let i = 0; i < 300 && ready !== 200; i++) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        ready = (await fetch(`${scorer.url}/v2/health/ready`)).status;
      }
      assert.equal(ready, 200);
    } finally {
      await scorer.stop();
    }
  });

  test('SIGTERM: queued and running requests complete, late arrivals are served for a grace, then 503, exit 0', async () => {
    const repository = await makeRepository({
      'interests-heavy': { instances: 1, maxBatchSize: 2, maxQueueSize: 64, warmupRuns: 1 },
    });
    const scorer = await startScorer({ env: { MODEL_REPOSITORY: repository } });
    // About 20 runs of ~30 ms queued: the drain outlasts the late-arrival grace.
    const inFlight = Array.from({ length: 40 }, (_, i) => heavy(scorer, {}, i));
    for (let i = 0; i < 200 && (await readMetric(scorer.url, 'scorer_queue_depth')) < 30; i++) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    scorer.child.kill('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 10));
    const late = heavy(scorer);
    await new Promise((resolve) => setTimeout(resolve, LATE_ARRIVAL_GRACE_MS + 100));
    const tooLate = await heavy(scorer);
    const answers = await Promise.all([...inFlight, late]);
    assert.deepEqual(
      answers.map((a) => a.status),
      new Array(41).fill(200),
    );
    assert.equal(tooLate.status, 503);
    assert.equal(tooLate.body['code'], 'SHUTTING_DOWN');
    assert.equal(await scorer.exited, 0);
    assert.ok(scorer.logs.some((entry) => entry['message'] === 'drained'));
  });
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { RunResult } from '../pool/inference-pool.ts';
import type { WireTensor } from '../worker/protocol.ts';
import { ArrivalRate } from './arrival-rate.ts';
import { BatchCostModel } from './batch-cost-model.ts';
import { BatchScheduler, type BatchSchedulerOptions, type SchedulerPool } from './batch-scheduler.ts';
import type { InferenceJob } from './job.ts';

/** A scheduler over `workers` fake workers whose runs the test finishes by hand. */
function setUp(workers: number, options: Partial<BatchSchedulerOptions>) {
  const runs: { rows: number; finish: () => void }[] = [];
  let busy = 0;
  const pool: SchedulerPool = {
    get idleWorkers() {
      return workers - busy;
    },
    get busyWorkers() {
      return busy;
    },
    tryRun(inputs: Record<string, WireTensor>): Promise<RunResult> | undefined {
      if (busy === workers) return undefined;
      busy++;
      const rows = inputs['x']!.dims[0]!;
      return new Promise<RunResult>((resolve) => {
        runs.push({
          rows,
          finish: () => {
            busy--;
            resolve({ outputs: { y: inputs['x']! }, computeMs: 1 });
            scheduler.pump();
          },
        });
      });
    },
  };
  const scheduler = new BatchScheduler(pool, { maxBatchSize: 16, maxQueueDelayMs: 0, maxQueueSize: 64, ...options });
  return { scheduler, runs };
}

const job = (rows = 1, timeoutMs = 10_000): InferenceJob => ({
  inputs: { x: { type: 'float32', dims: [rows, 2], data: new Float32Array(rows * 2) } },
  rows,
  shapeKey: 'x:2;',
  outputNames: ['y'],
  deadlineAt: performance.now() + timeoutMs,
});

/** A model whose runs cost 20 ms plus 1 ms per row: batching pays. */
function expensiveRuns(): BatchCostModel {
  const costs = new BatchCostModel();
  costs.seed([
    { rows: 1, ms: 21 },
    { rows: 16, ms: 36 },
  ]);
  return costs;
}

/** Rows have been arriving at one per millisecond: about 20 arrive during one fixed cost. */
function busyTraffic(): ArrivalRate {
  const arrivals = new ArrivalRate();
  const now = performance.now();
  for (let i = 200; i > 0; i--) arrivals.arrived(1, now - i);
  return arrivals;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Finishes every run, including those started meanwhile, until `answers` settle. */
async function drain(runs: { finish: () => void }[], answers: Promise<unknown>[]): Promise<void> {
  let finished = 0;
  let settled = false;
  const all = Promise.allSettled(answers).then(() => (settled = true));
  while (!settled) {
    while (finished < runs.length) runs[finished++]!.finish();
    await sleep(1);
  }
  await all;
}

test('a lone request goes to a free worker at once, even when batching would pay', async () => {
  const { scheduler, runs } = setUp(2, { costModel: expensiveRuns(), arrivals: busyTraffic() });
  const answer = scheduler.submit(job());
  assert.equal(runs.length, 1);
  runs[0]!.finish();
  assert.equal((await answer).batchRows, 1);
});

test('while a batch runs, a free worker waits for rows to share its fixed cost', async () => {
  const { scheduler, runs } = setUp(2, { costModel: expensiveRuns(), arrivals: busyTraffic() });
  const answers = [scheduler.submit(job())];
  for (let i = 0; i < 5; i++) answers.push(scheduler.submit(job()));
  await sleep(2);
  assert.equal(runs.length, 1, 'the second worker took a batch that was not worth its fixed cost');
  assert.equal(scheduler.queueDepth, 5);
  // The running batch ends: the queued rows leave together on a free worker.
  runs[0]!.finish();
  assert.equal(runs.length, 2);
  assert.equal(runs[1]!.rows, 5);
  await drain(runs, answers);
});

test('a held batch leaves when it is full, or after at most one fixed cost', async () => {
  const { scheduler, runs } = setUp(2, { maxBatchSize: 4, costModel: expensiveRuns(), arrivals: busyTraffic() });
  const answers = [scheduler.submit(job())];
  for (let i = 0; i < 3; i++) answers.push(scheduler.submit(job()));
  assert.equal(runs.length, 1);
  answers.push(scheduler.submit(job()));
  assert.equal(runs.length, 2, 'a full batch waits for nobody');
  assert.equal(runs[1]!.rows, 4);
  runs[1]!.finish();
  const startedAt = performance.now();
  answers.push(scheduler.submit(job()));
  while (runs.length < 3) await sleep(1);
  const heldMs = performance.now() - startedAt;
  // The finished runs took no time at all, which lowers the learned fixed cost below the seeded 20 ms.
  assert.ok(heldMs >= 2 && heldMs < 40, `held for ${heldMs} ms with a fixed cost of at most 20 ms`);
  assert.equal(runs[2]!.rows, 1);
  await drain(runs, answers);
});

test('with adaptive batching off, or a cheap model, a free worker never waits', async () => {
  const cheap = new BatchCostModel();
  cheap.seed([
    { rows: 1, ms: 0.04 },
    { rows: 16, ms: 0.05 },
  ]);
  for (const options of [{ adaptive: false, costModel: expensiveRuns() }, { costModel: cheap }]) {
    const { scheduler, runs } = setUp(2, { ...options, arrivals: busyTraffic() });
    const answers = [scheduler.submit(job()), scheduler.submit(job())];
    assert.equal(runs.length, 2);
    await drain(runs, answers);
  }
});

test('a fixed maxQueueDelayMs still holds even a lone request', async () => {
  const { scheduler, runs } = setUp(1, { maxBatchSize: 8, maxQueueDelayMs: 5 });
  const answer = scheduler.submit(job());
  assert.equal(runs.length, 0);
  await sleep(15);
  assert.equal(runs.length, 1);
  await drain(runs, [answer]);
});

test('a hold ends in time for the deadline: the request runs instead of expiring while held', async () => {
  const { scheduler, runs } = setUp(2, { costModel: expensiveRuns(), arrivals: busyTraffic() });
  const answers = [scheduler.submit(job())];
  // 40 ms deadline − a 22 ms run leaves about 18 ms to wait, less than the 20 ms fixed cost.
  answers.push(scheduler.submit(job(1, 40)));
  const startedAt = performance.now();
  while (runs.length < 2) await sleep(1);
  const heldMs = performance.now() - startedAt;
  assert.ok(heldMs < 25, `held for ${heldMs} ms`);
  await drain(runs, answers);
  assert.equal((await answers[1]!).batchRows, 1);
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { latencyFigures, percentile, summarizeLoad } from './figures.ts';
import type { Outcome } from './open-loop.ts';

const outcome = (latencyMs: number, status: Outcome['status'], extra: Partial<Outcome> = {}): Outcome => ({
  index: 0,
  sentAt: 0,
  latencyMs,
  status,
  ...extra,
});

test('nearest-rank percentiles are latencies that happened', () => {
  const sorted = Array.from({ length: 100 }, (_, i) => i + 1);
  assert.equal(percentile(sorted, 50), 50);
  assert.equal(percentile(sorted, 99), 99);
  assert.deepEqual(latencyFigures([3, 1, 2]), { p50: 2, p99: 3, max: 3 });
  assert.ok(Number.isNaN(latencyFigures([]).p50));
});

test('a load adds up to statuses, codes, lateness and unanswered requests', () => {
  const figures = summarizeLoad(
    [
      outcome(100, 200),
      outcome(120, 200, { degraded: ['events'] }),
      outcome(260, 503, { code: 'CIRCUIT_OPEN' }),
      outcome(5_000, 'unanswered'),
      outcome(3, 'error', { error: 'ECONNRESET' }),
    ],
    200,
  );
  assert.deepEqual(figures.statuses, { 200: 2, 503: 1, unanswered: 1, error: 1 });
  assert.deepEqual(figures.codes, { '503 CIRCUIT_OPEN': 1, 'error ECONNRESET': 1 });
  assert.equal(figures.degraded, 1);
  assert.equal(figures.unanswered, 1);
  assert.equal(figures.maxLatenessMs, 60);
  assert.equal(figures.late, 2, 'the 260 ms answer and the unanswered one');
});

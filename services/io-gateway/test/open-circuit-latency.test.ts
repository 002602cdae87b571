import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { problemDetailsSchema } from '@splitserve/contracts';
import type { RunningService } from '@splitserve/test-support';
import { getStats, resetSource, setBehaviour } from '../../mock-sources/test/source-client.ts';
import { post, startStack, type Stack } from './stack.ts';

// Regression for the chaos suite's finding: with realistic source latency (60 ms here), a 503 from an open circuit
// took as long as the slowest source, because every source was awaited (or, for the scorer, fetched first).
const BREAKER = { failureRatio: 0.5, minimumRequests: 5, windowMs: 2_000, halfOpenAfterMs: 5_000 };

let stack: Stack;
before(async () => {
  stack = await startStack({
    mockLatencyMs: 60,
    sources: { profile: { retry: { maxAttempts: 1 }, breaker: BREAKER } },
  });
});
after(() => stack.stop());

async function openCircuit(gateway: RunningService, dependency: string): Promise<void> {
  for (let i = 0; i < 60; i++) {
    const answer = await post(gateway.url, '/v1/score', { entityId: `u-open-${dependency}-${i}` });
    if (answer.body['code'] === 'CIRCUIT_OPEN' && answer.body['dependency'] === dependency) return;
  }
  assert.fail(`the ${dependency} circuit never opened`);
}

async function medianWhileOpen(gateway: RunningService, dependency: string): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < 7; i++) {
    const answer = await post(gateway.url, '/v1/score', { entityId: `u-fast-${dependency}-${i}` });
    const problem = problemDetailsSchema.parse(answer.body);
    assert.equal(problem.code, 'CIRCUIT_OPEN');
    assert.equal(problem.dependency, dependency);
    times.push(answer.ms);
  }
  return times.sort((a, b) => a - b)[3]!;
}

test('an open circuit on a required source answers at once, without waiting for the other sources', async () => {
  const gateway = await stack.startGateway();
  try {
    await setBehaviour(stack.profile.url, { mode: 'status', errorStatus: 503 });
    await openCircuit(gateway, 'profile');
    const median = await medianWhileOpen(gateway, 'profile');
    assert.ok(median < 30, `open-circuit answers took ${median.toFixed(1)} ms (median), the optional source takes 60`);
  } finally {
    await resetSource(stack.profile.url);
    await gateway.stop();
  }
});

test('an open circuit on the scorer answers at once, without fetching any features', async () => {
  const gateway = await stack.startGateway();
  try {
    assert.equal((await post(gateway.url, '/v1/score', { entityId: 'u-warm-1' })).status, 200);
    await stack.scorer.stop('SIGKILL');
    await openCircuit(gateway, 'scorer');
    await Promise.all([resetSource(stack.profile.url), resetSource(stack.events.url)]);
    const median = await medianWhileOpen(gateway, 'scorer');
    assert.ok(median < 30, `open-circuit answers took ${median.toFixed(1)} ms (median), the sources take 60`);
    assert.equal((await getStats(stack.profile.url)).requests, 0, 'no feature was fetched');
    assert.equal((await getStats(stack.events.url)).requests, 0, 'no feature was fetched');
  } finally {
    await gateway.stop();
  }
});

import { after, afterEach, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { problemDetailsSchema, scoreResponseSchema } from '@splitserve/contracts';
import { readMetric, watchLoopStalls, type RunningService } from '@splitserve/test-support';
import { getStats, resetSource, setBehaviour } from '../../mock-sources/test/source-client.ts';
import { post, startStack, type Stack } from './stack.ts';

let stack: Stack;
before(async () => {
  stack = await startStack({ sources: { profile: { timeoutMs: 150 }, events: { timeoutMs: 150 } } });
  // A first call pays for connections and cold code; no test below should.
  assert.equal((await score(stack.gateway, 'u-warm-up')).status, 200);
  await Promise.all([resetSource(stack.profile.url), resetSource(stack.events.url)]);
});
after(() => stack.stop());
afterEach(async () => {
  await Promise.all([resetSource(stack.profile.url), resetSource(stack.events.url)]);
});

const score = (gateway: RunningService, entityId = 'u-music-1', headers: Record<string, string> = {}) =>
  post(gateway.url, '/v1/score', { entityId }, headers);
const FAILURES = ['hang', 'reset', 'garbage', 'truncated', 'slow-body', 'status'] as const;

describe('an optional source that fails degrades the answer, never fails it', () => {
  for (const mode of FAILURES) {
    test(mode, async () => {
      await setBehaviour(stack.events.url, { mode, errorStatus: 503 });
      const answer = await score(stack.gateway);
      assert.equal(answer.status, 200, JSON.stringify(answer.body));
      assert.deepEqual(scoreResponseSchema.parse(answer.body).degraded, ['events']);
      // One attempt of 150 ms, maybe a retry of another: well inside the request's 5 s.
      assert.ok(answer.ms < 800, `answered after ${answer.ms.toFixed(0)} ms`);
    });
  }

  test('JSON of the wrong shape scores with feature defaults and no crash', async () => {
    await setBehaviour(stack.events.url, { mode: 'wrong-shape' });
    await setBehaviour(stack.profile.url, { mode: 'wrong-shape' });
    const answer = await score(stack.gateway);
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
  });
});

describe('a required source that fails gives a fast 503 naming it', () => {
  for (const mode of FAILURES) {
    test(mode, async () => {
      await setBehaviour(stack.profile.url, { mode, errorStatus: 502 });
      const answer = await score(stack.gateway);
      assert.equal(answer.status, 503, JSON.stringify(answer.body));
      const problem = problemDetailsSchema.parse(answer.body);
      assert.equal(problem.code, 'DEPENDENCY_UNAVAILABLE');
      assert.equal(problem.dependency, 'profile');
      assert.equal(answer.headers.get('retry-after'), '1');
      assert.ok(answer.ms < 800, `answered after ${answer.ms.toFixed(0)} ms`);
    });
  }
});

describe('deadlines', () => {
  for (const mode of ['hang', 'slow-body', 'normal'] as const) {
    test(`no answer later than the deadline plus 50 ms (${mode})`, async () => {
      await setBehaviour(stack.profile.url, { mode, latencyMs: mode === 'normal' ? 400 : 0 });
      const deadlineMs = 120;
      const stalls = watchLoopStalls();
      const answers = await Promise.all(
        [1, 2, 3, 4].map((i) => score(stack.gateway, `u-d-${i}`, { 'x-request-timeout-ms': String(deadlineMs) })),
      );
      // A stall of this process (a busy shared machine) delays the clock read here, not the gateway's answer.
      const ownStallMs = stalls.stop();
      for (const answer of answers) {
        assert.ok(answer.status === 504 || answer.status === 503, `${answer.status} ${JSON.stringify(answer.body)}`);
        assert.ok(
          answer.ms <= deadlineMs + 50 + ownStallMs,
          `answered after ${answer.ms.toFixed(0)} ms (this process stalled ${ownStallMs} ms)`,
        );
      }
    });
  }

  test('every dependency is told how much time is left', async () => {
    const answer = await score(stack.gateway, 'u-music-2', { 'x-request-timeout-ms': '3000' });
    assert.equal(answer.status, 200);
    // The scorer queues with the deadline it is given; a deadline it never received would be its 10 s default.
    assert.equal(await readMetric(stack.scorer.url, 'scorer_requests_total', { outcome: 'expired' }), 0);
  });
});

describe('retries', () => {
  test('a retryable failure is retried and the request succeeds', async () => {
    const before = await readMetric(stack.gateway.url, 'gateway_dependency_retries_total', { dependency: 'profile' });
    await setBehaviour(stack.profile.url, { failFirst: 1, errorStatus: 503 });
    const answer = await score(stack.gateway, 'u-retry-1');
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    assert.equal((await getStats(stack.profile.url)).requests, 2);
    assert.equal(
      await readMetric(stack.gateway.url, 'gateway_dependency_retries_total', { dependency: 'profile' }),
      before + 1,
    );
  });

  test('a 404 is not retried', async () => {
    const answer = await score(stack.gateway, 'missing-7');
    assert.equal(answer.status, 404);
    assert.equal((await getStats(stack.profile.url)).requests, 1);
  });

  test('429 with Retry-After: waited for when the deadline allows, not when it does not', async () => {
    await setBehaviour(stack.profile.url, { failFirst: 1, errorStatus: 429, retryAfterS: 3 });
    const short = await score(stack.gateway, 'u-429-1', { 'x-request-timeout-ms': '500' });
    assert.equal(short.status, 503);
    assert.ok(short.ms < 400, `gave up after ${short.ms.toFixed(0)} ms`);
    assert.equal(short.headers.get('retry-after'), '3', "the dependency's Retry-After is passed on");
    await setBehaviour(stack.profile.url, { failFirst: 1, errorStatus: 429, retryAfterS: 1 });
    const long = await score(stack.gateway, 'u-429-2', { 'x-request-timeout-ms': '3000' });
    assert.equal(long.status, 200, JSON.stringify(long.body));
    assert.ok(long.ms >= 950, `retried after ${long.ms.toFixed(0)} ms, before Retry-After`);
  });

  test('during an outage the retry budget keeps attempts per request near 1.2', async () => {
    const gateway = await stack.startGateway(
      {},
      {
        profile: {
          timeoutMs: 500,
          retry: { maxAttempts: 4, initialDelayMs: 0, maxDelayMs: 0 },
          breaker: { minimumRequests: 100_000 },
        },
      },
    );
    try {
      await setBehaviour(stack.profile.url, { mode: 'status', errorStatus: 503 });
      const requests = 150;
      for (let i = 0; i < requests; i++) assert.equal((await score(gateway, `u-out-${i}`)).status, 503);
      const attempts = (await getStats(stack.profile.url)).requests;
      // ratio 0.2 of 150 calls, plus a floor of 1 retry a second over the 10 s window.
      assert.ok(attempts <= requests * 1.2 + 10, `${attempts} attempts for ${requests} requests`);
      assert.ok(attempts > requests, 'some retries happen');
      assert.ok(
        (await readMetric(gateway.url, 'gateway_dependency_retry_budget_exhausted_total', { dependency: 'profile' })) >
          0,
      );
    } finally {
      await gateway.stop();
    }
  });
});

describe('the circuit breaker', () => {
  test('opens under failure, answers fast without calling, and closes again after recovery', async () => {
    const gateway = await stack.startGateway(
      {},
      {
        profile: {
          retry: { maxAttempts: 1 },
          breaker: { failureRatio: 0.5, minimumRequests: 5, windowMs: 2_000, halfOpenAfterMs: 500 },
        },
      },
    );
    try {
      await setBehaviour(stack.profile.url, { mode: 'status', errorStatus: 503 });
      const codes: string[] = [];
      for (let i = 0; i < 12; i++) codes.push(problemDetailsSchema.parse((await score(gateway, `u-b-${i}`)).body).code);
      assert.ok(codes.includes('CIRCUIT_OPEN'), codes.join(' '));
      const calledWhileOpen = (await getStats(stack.profile.url)).requests;
      // Timed by the gateway itself (its request histogram), so that a busy test machine's client does not count.
      const fastBefore = await readMetric(gateway.url, 'gateway_request_duration_seconds_bucket', {
        le: '0.01',
        route: '/v1/score',
      });
      for (let i = 0; i < 5; i++) {
        const answer = await score(gateway, `u-b-open-${i}`);
        assert.equal(problemDetailsSchema.parse(answer.body).code, 'CIRCUIT_OPEN');
        assert.equal(problemDetailsSchema.parse(answer.body).dependency, 'profile');
      }
      const fast =
        (await readMetric(gateway.url, 'gateway_request_duration_seconds_bucket', { le: '0.01', route: '/v1/score' })) -
        fastBefore;
      assert.equal(fast, 5, `only ${fast} of 5 open-circuit answers took under 10 ms`);
      assert.equal((await getStats(stack.profile.url)).requests, calledWhileOpen, 'no call while open');
      assert.equal(await readMetric(gateway.url, 'gateway_dependency_breaker_state', { dependency: 'profile' }), 1);

      await resetSource(stack.profile.url);
      await new Promise((resolve) => setTimeout(resolve, 600));
      assert.equal((await score(gateway, 'u-b-probe')).status, 200);
      assert.equal((await score(gateway, 'u-b-after')).status, 200);
      assert.equal(await readMetric(gateway.url, 'gateway_dependency_breaker_state', { dependency: 'profile' }), 0);
    } finally {
      await gateway.stop();
    }
  });
});

describe('hedging and coalescing', () => {
  test('slow calls are hedged, with the extra load capped', async () => {
    const gateway = await stack.startGateway({}, { profile: { hedge: { afterMs: 20, maxExtraPercent: 25 } } });
    try {
      await setBehaviour(stack.profile.url, { latencyMs: 60 });
      const requests = 40;
      for (let i = 0; i < requests; i++) assert.equal((await score(gateway, `u-h-${i}`)).status, 200);
      const hedges = await readMetric(gateway.url, 'gateway_dependency_hedges_total', { dependency: 'profile' });
      const attempts = (await getStats(stack.profile.url)).requests;
      assert.ok(hedges > 0, 'some calls were hedged');
      assert.ok(attempts <= requests * 1.25 + 1, `${attempts} calls for ${requests} requests`);
    } finally {
      await gateway.stop();
    }
  });

  test('concurrent requests for one entity share one call per source', async () => {
    await setBehaviour(stack.profile.url, { latencyMs: 60 });
    await setBehaviour(stack.events.url, { latencyMs: 60 });
    const before = await readMetric(stack.gateway.url, 'gateway_dependency_coalesced_total', { dependency: 'profile' });
    const answers = await Promise.all(Array.from({ length: 20 }, () => score(stack.gateway, 'u-same-1')));
    assert.deepEqual(
      answers.map((a) => a.status),
      new Array(20).fill(200),
      JSON.stringify(answers.find((a) => a.status !== 200)?.body),
    );
    assert.equal((await getStats(stack.profile.url)).requests, 1);
    assert.equal((await getStats(stack.events.url)).requests, 1);
    assert.equal(
      await readMetric(stack.gateway.url, 'gateway_dependency_coalesced_total', { dependency: 'profile' }),
      before + 19,
    );
  });
});

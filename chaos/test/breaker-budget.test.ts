import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { RunningService } from '@splitserve/test-support';
import { startChaosStack, type ChaosStack } from '../src/chaos-stack.ts';
import { deadlineChecks, loadScenarioFigures, recovery } from '../src/checks.ts';
import { latencyFigures, summarizeLoad } from '../src/figures.ts';
import { loadGateway, scoreRequest, untilRecovered, warmUp } from '../src/gateway-load.ts';
import { byMode } from '../src/mode.ts';
import type { Outcome } from '../src/open-loop.ts';
import { observationsAbove, scrape, total, waitForMetric } from '../src/prometheus.ts';
import { check, retryOnMachineStall, timingCheck, verify } from '../src/results.ts';

const DEADLINE_MS = 450;
const RATE = 50;
/** The demo pipeline's and the scorer's half-open delay. */
const HALF_OPEN_MS = 5_000;
/** At least 100 answers at RATE, so that "99% under 10 ms" tolerates the one answer a CPU-starved moment delays. */
const OPEN_WINDOW_MS = byMode(2_100, 3_000);
/** Within one 10 s window of the retry budget, so that its bound applies to the whole outage at once. */
const OUTAGE_MS = byMode(3_000, 8_000);
/** The retry budget's floor: one retry a second over its 10 s window, whatever the traffic. */
const BUDGET_FLOOR = 10;
const OPEN = 1;

let stack: ChaosStack;
before(async () => {
  stack = await startChaosStack();
  await warmUp(stack.gateway.url);
});
after(() => stack.stop());

const healthy = (o: Outcome) => o.status === 200 && o.degraded === undefined;

describe('an open circuit answers 503 at once, calls nothing, and closes after the half-open window', () => {
  for (const dependency of ['profile', 'scorer'] as const) {
    test(`${dependency} down`, () =>
      retryOnMachineStall(async (attempt) => {
        const proxy = stack.proxies[dependency];
        const gauge = { dependency };
        let window = { from: 0, to: 0, calls: 0, server: { count: 0, above: 0 } };
        let recoveredAt = 0;
        const run = await loadGateway(
          stack.gateway.url,
          { ratePerSecond: RATE, deadlineMs: DEADLINE_MS, request: scoreRequest(`open-${dependency}`) },
          async (load) => {
            if (dependency === 'scorer') await stack.kill('scorer');
            else proxy.setFault({ mode: 'status', status: 503 });
            await waitForMetric(stack.gateway.url, 'gateway_dependency_breaker_state', gauge, (v) => v === OPEN);
            // Requests that started before the circuit opened (retrying, backing off) finish by their deadline.
            await sleep(DEADLINE_MS + 50);
            const before = await scrape(stack.gateway.url);
            const from = performance.now();
            const callsBefore = proxy.stats().received;
            await sleep(OPEN_WINDOW_MS);
            const calls = proxy.stats().received - callsBefore;
            const after = await scrape(stack.gateway.url);
            const server = observationsAbove(before, after, 'gateway_request_duration_seconds', 0.01, {
              route: '/v1/score',
            });
            window = { from, to: performance.now(), calls, server };
            if (dependency === 'scorer') await stack.revive('scorer');
            else proxy.setFault({ mode: 'pass' });
            recoveredAt = performance.now();
            await untilRecovered(load, recoveredAt, healthy, HALF_OPEN_MS + 1_500);
          },
        );
        const open = run.result.outcomes.filter((o) => o.sentAt >= window.from + 20 && o.sentAt < window.to - 20);
        const openLatency = latencyFigures(open.map((o) => o.latencyMs));
        const back = recovery(run.result.outcomes, recoveredAt, healthy);
        await verify(
          {
            id: `breaker/${dependency}`,
            group: 'Circuit breaker and retry budget',
            title: `${dependency} down: open circuit, then recovery`,
            figures: loadScenarioFigures(run.result, run.figures, DEADLINE_MS, {
              extra: {
                openAnswers: open.length,
                openServerOver10ms: window.server.above,
                openServerCount: window.server.count,
                openClientP50Ms: openLatency.p50,
                openClientP99Ms: openLatency.p99,
                callsWhileOpen: window.calls,
                recoveredAfterMs: back.afterMs ?? 'never',
              },
            }),
          },
          [
            ...deadlineChecks(run.figures, DEADLINE_MS, run.result, run.server),
            check(
              `while open: every answer is 503 CIRCUIT_OPEN naming ${dependency}`,
              open.length > 0 && open.every((o) => o.code === 'CIRCUIT_OPEN' && o.dependency === dependency),
              JSON.stringify(summarizeLoad(open).codes),
            ),
            timingCheck(
              'while open: answered in under 10 ms at the server (99%)',
              window.server.count > 0 && window.server.above <= window.server.count * 0.01,
              `${window.server.above} of ${window.server.count} took longer`,
            ),
            timingCheck('while open: client median under 10 ms', openLatency.p50 < 10, `median ${openLatency.p50} ms`),
            check(`while open: ${dependency} is not called`, window.calls === 0, `${window.calls} calls`),
            check(
              'service returns within the half-open window after recovery',
              back.afterMs !== undefined && back.afterMs <= HALF_OPEN_MS + 500 && back.steady,
              `first complete answer ${back.afterMs ?? 'never'} ms after recovery; ${back.badAfter} incomplete after it`,
            ),
          ],
          attempt,
        );
      }));
  }
});

describe('during an outage the retry budget keeps upstream attempts per request near 1.2', () => {
  const outage = async (gateway: RunningService, dependency: 'profile' | 'scorer', prefix: string) => {
    const proxy = stack.proxies[dependency];
    const labels = { dependency };
    const before = await scrape(gateway.url);
    let attempts = 0;
    const run = await loadGateway(
      gateway.url,
      { ratePerSecond: RATE, deadlineMs: DEADLINE_MS, request: scoreRequest(prefix) },
      async () => {
        proxy.resetStats();
        proxy.setFault({ mode: 'status', status: 503 });
        await sleep(OUTAGE_MS);
        attempts = proxy.stats().received;
        proxy.setFault({ mode: 'pass' });
      },
    );
    const after = await scrape(gateway.url);
    const delta = (name: string) => total(after, name, labels) - total(before, name, labels);
    return {
      run,
      attempts,
      retries: delta('gateway_dependency_retries_total'),
      hedges: delta('gateway_dependency_hedges_total'),
    };
  };

  test('required source, breaker disabled, 4 attempts allowed: only the budget holds retries back', () =>
    retryOnMachineStall(async (attempt) => {
      const gateway = await stack.startGateway({
        pipeline: {
          sources: {
            profile: {
              retry: { maxAttempts: 4, initialDelayMs: 0, maxDelayMs: 0 },
              breaker: { minimumRequests: 100_000 },
            },
          },
        },
      });
      // No warm-up: calls made before the outage would earn the budget retries of their own.
      const { run, attempts, retries, hedges } = await outage(gateway, 'profile', 'budget-profile');
      await gateway.stop();
      const requests = run.figures.requests;
      const ratio = attempts / requests;
      await verify(
        {
          id: 'budget/profile-no-breaker',
          group: 'Circuit breaker and retry budget',
          title: 'profile answers 503, breaker off, up to 4 attempts',
          figures: loadScenarioFigures(run.result, run.figures, DEADLINE_MS, {
            attemptsPerRequest: Math.round(ratio * 1000) / 1000,
            extra: { attempts, retries, hedges },
          }),
        },
        [
          ...deadlineChecks(run.figures, DEADLINE_MS, run.result, run.server),
          check(
            'retries ≤ 20% of requests + the budget floor (1 retry/s over its 10 s window)',
            retries <= 0.2 * requests + BUDGET_FLOOR,
            `${retries} retries for ${requests} requests`,
          ),
          check(
            'attempts ≤ 1.2 × requests + the floor (+ hedges, capped apart at 10%)',
            attempts <= 1.2 * requests + BUDGET_FLOOR + hedges,
            `${attempts} attempts for ${requests} requests (${ratio.toFixed(3)} per request), ${hedges} hedges`,
          ),
        ],
        attempt,
      );
    }));

  test('scorer, demo policies, SCORER_MAX_ATTEMPTS=5: the budget and the breaker together', () =>
    retryOnMachineStall(async (attempt) => {
      const gateway = await stack.startGateway({ env: { SCORER_MAX_ATTEMPTS: '5' } });
      await warmUp(gateway.url, 5);
      const { run, attempts, retries } = await outage(gateway, 'scorer', 'budget-scorer');
      await gateway.stop();
      const requests = run.figures.requests;
      const ratio = attempts / requests;
      await verify(
        {
          id: 'budget/scorer-demo',
          group: 'Circuit breaker and retry budget',
          title: 'scorer answers 503, demo policies, up to 5 attempts',
          figures: loadScenarioFigures(run.result, run.figures, DEADLINE_MS, {
            attemptsPerRequest: Math.round(ratio * 1000) / 1000,
            extra: { attempts, retries },
          }),
        },
        [
          ...deadlineChecks(run.figures, DEADLINE_MS, run.result, run.server),
          check('attempts per request ≤ 1.2', ratio <= 1.2, `${attempts} attempts for ${requests} requests`),
        ],
        attempt,
      );
    }));
});

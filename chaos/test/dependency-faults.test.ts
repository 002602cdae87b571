import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { startChaosStack, type ChaosStack, type DependencyName } from '../src/chaos-stack.ts';
import { deadlineChecks, loadScenarioFigures, recovery, statusesWithin } from '../src/checks.ts';
import { summarizeLoad } from '../src/figures.ts';
import type { Fault } from '../src/fault-proxy.ts';
import { loadGateway, scoreRequest, untilRecovered, warmUp } from '../src/gateway-load.ts';
import { byMode } from '../src/mode.ts';
import type { Outcome } from '../src/open-loop.ts';
import { check, retryOnMachineStall, verify, type Check } from '../src/results.ts';

/** 450 + 50 ms is a bucket bound of the gateway's latency histogram, so the server side can be checked exactly. */
const DEADLINE_MS = 450;
const RATE = 40;
const FAULT_MS = byMode(1_500, 5_000);
/** The sources' breakers probe after 1 s here (the demo's 5 s would only slow the run); the scorer's after 5 s. */
const HALF_OPEN_MS: Record<DependencyName, number> = { profile: 1_000, events: 1_000, scorer: 5_000 };
const BREAKER = { failureRatio: 0.5, minimumRequests: 20, windowMs: 10_000, halfOpenAfterMs: 1_000 };

type FaultCase = { name: string; fault: Fault; /** every call fails while it lasts */ total: boolean };
const CASES: Record<string, FaultCase> = {
  latency: { name: 'latency 120 ± 100 ms', fault: { mode: 'pass', latencyMs: 120, jitterMs: 100 }, total: false },
  flaky: { name: '30% answered 503', fault: { mode: 'status', status: 503, rate: 0.3 }, total: false },
  status: { name: 'every call answered 500', fault: { mode: 'status', status: 500 }, total: true },
  reset: { name: 'connections reset', fault: { mode: 'reset' }, total: true },
  hang: { name: 'calls hang', fault: { mode: 'hang' }, total: true },
  slowBody: { name: 'body trickled over 2 s', fault: { mode: 'slow-body', slowBodyMs: 2_000 }, total: true },
  truncated: { name: 'body truncated', fault: { mode: 'truncated' }, total: true },
  garbage: { name: 'HTML instead of JSON', fault: { mode: 'garbage' }, total: true },
};
const EVERY_CASE = Object.keys(CASES);
const MATRIX: Record<DependencyName, string[]> = byMode(
  { events: ['latency', 'hang', 'garbage'], profile: ['status', 'reset', 'slowBody'], scorer: ['flaky', 'truncated'] },
  { events: EVERY_CASE, profile: EVERY_CASE, scorer: EVERY_CASE },
);

let stack: ChaosStack;
before(async () => {
  stack = await startChaosStack({
    pipeline: { sources: { profile: { breaker: BREAKER }, events: { breaker: BREAKER } } },
  });
  await warmUp(stack.gateway.url);
});
after(() => stack.stop());

const healthy = (o: Outcome) => o.status === 200 && o.degraded === undefined;

/**
 * Requests that met the fault: sent after it was set, and early enough to reach the dependency before it was
 * cleared (a request takes a few milliseconds to get from the client through the gateway to the proxy).
 */
const sentWhileFaulty = (outcomes: readonly Outcome[], from: number, to: number) =>
  outcomes.filter((o) => o.sentAt >= from && o.sentAt < to - 150);

describe('a faulty dependency: answers by the deadline, degraded or a fast 503, back after the half-open window', () => {
  for (const dependency of ['events', 'profile', 'scorer'] as const) {
    for (const key of MATRIX[dependency]) {
      const { name, fault, total } = CASES[key]!;
      test(`${dependency}: ${name}`, () =>
        retryOnMachineStall(async (attempt) => {
          const proxy = stack.proxies[dependency];
          proxy.resetStats();
          let faultAt = 0;
          let clearedAt = 0;
          const run = await loadGateway(
            stack.gateway.url,
            { ratePerSecond: RATE, deadlineMs: DEADLINE_MS, request: scoreRequest(`${dependency}-${key}`) },
            async (load) => {
              proxy.setFault(fault);
              faultAt = performance.now();
              await sleep(FAULT_MS);
              proxy.setFault({ mode: 'pass' });
              clearedAt = performance.now();
              await untilRecovered(load, clearedAt, healthy, HALF_OPEN_MS[dependency] + 1_500);
            },
          );
          const { figures, result } = run;
          const during = sentWhileFaulty(result.outcomes, faultAt, clearedAt);
          const back = recovery(result.outcomes, clearedAt, healthy);
          const stats = proxy.stats();
          const checks: Check[] = [
            ...deadlineChecks(figures, DEADLINE_MS, result, run.server),
            back.afterMs === undefined
              ? check('service returns within the half-open window', false, 'never')
              : check(
                  'service returns within the half-open window',
                  back.afterMs <= HALF_OPEN_MS[dependency] + 500 && back.steady,
                  `first complete answer ${back.afterMs} ms after the dependency recovered (window ${HALF_OPEN_MS[dependency]} ms); ${back.badAfter} incomplete after it`,
                ),
          ];
          if (dependency === 'events') {
            checks.push(statusesWithin(figures, [200]));
            if (total) {
              const flagged = during.filter((o) => o.degraded?.includes('events')).length;
              checks.push(
                check(
                  'answers during the fault are flagged degraded',
                  flagged === during.length,
                  `${flagged} of ${during.length}`,
                ),
              );
            }
          } else {
            checks.push(statusesWithin(figures, [200, 503, 504]));
            const blamed = during.filter((o) => o.status === 503 && o.dependency !== dependency).length;
            checks.push(check(`every 503 names ${dependency}`, blamed === 0, `${blamed} name another dependency`));
            if (total) {
              const served = during.filter((o) => o.status === 200).length;
              checks.push(check('no answer while every call fails', served === 0, `${served} answered 200`));
            }
          }
          await verify(
            {
              id: `fault/${dependency}/${key}`,
              group: 'Dependency faults',
              title: `${dependency}: ${name}`,
              figures: loadScenarioFigures(result, figures, DEADLINE_MS, {
                attemptsPerRequest: Math.round((stats.received / Math.max(1, figures.requests)) * 100) / 100,
                extra: {
                  degraded: figures.degraded,
                  faultsInjected: Object.values(stats.faults).reduce((a, b) => a + b, 0),
                  recoveredAfterMs: back.afterMs ?? 'never',
                },
              }),
            },
            checks,
            attempt,
          );
        }));
    }
  }

  test('every dependency hangs at once under a 200 ms deadline', () =>
    retryOnMachineStall(async (attempt) => {
      const deadlineMs = 200;
      let faultAt = 0;
      let clearedAt = 0;
      const run = await loadGateway(
        stack.gateway.url,
        { ratePerSecond: RATE, deadlineMs, request: scoreRequest('all-hang') },
        async () => {
          for (const proxy of Object.values(stack.proxies)) proxy.setFault({ mode: 'hang' });
          faultAt = performance.now();
          await sleep(FAULT_MS);
          for (const proxy of Object.values(stack.proxies)) proxy.setFault({ mode: 'pass' });
          clearedAt = performance.now();
        },
      );
      const during = summarizeLoad(sentWhileFaulty(run.result.outcomes, faultAt, clearedAt));
      await verify(
        {
          id: 'fault/all/hang-200ms',
          group: 'Dependency faults',
          title: 'every dependency hangs, 200 ms deadline',
          figures: loadScenarioFigures(run.result, run.figures, deadlineMs),
        },
        [...deadlineChecks(run.figures, deadlineMs, run.result, run.server), statusesWithin(during, [503, 504])],
        attempt,
      );
      await warmUp(stack.gateway.url, 5);
    }));
});

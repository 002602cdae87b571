import { after, before, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { RunningService } from '@splitserve/test-support';
import { startChaosStack, type ChaosStack, type DependencyName } from '../src/chaos-stack.ts';
import { deadlineChecks, loadScenarioFigures, recovery, statusesWithin } from '../src/checks.ts';
import { loadGateway, scoreRequest, untilRecovered, warmUp } from '../src/gateway-load.ts';
import { byMode } from '../src/mode.ts';
import type { Outcome } from '../src/open-loop.ts';
import { check, retryOnMachineStall, verify } from '../src/results.ts';

const DEADLINE_MS = 450;
const DOWN_MS = byMode(1_500, 5_000);
const HALF_OPEN_MS: Record<DependencyName, number> = { profile: 1_000, events: 1_000, scorer: 5_000 };
const BREAKER = { failureRatio: 0.5, minimumRequests: 20, windowMs: 10_000, halfOpenAfterMs: 1_000 };

let stack: ChaosStack;
/** Connected to the services themselves, not the proxies: its own connection pools see each death. */
let gateway: RunningService;
before(async () => {
  stack = await startChaosStack();
  gateway = await stack.startGateway({
    direct: true,
    pipeline: { sources: { profile: { breaker: BREAKER }, events: { breaker: BREAKER } } },
  });
  await warmUp(gateway.url);
});
after(() => stack.stop());

const healthy = (o: Outcome) => o.status === 200 && o.degraded === undefined;

for (const dependency of byMode<DependencyName[]>(['profile', 'scorer'], ['events', 'profile', 'scorer'])) {
  test(`${dependency} killed (SIGKILL) under load and started again on the same port`, () =>
    retryOnMachineStall(async (attempt) => {
      let killedAt = 0;
      let revivedAt = 0;
      const run = await loadGateway(
        gateway.url,
        { ratePerSecond: 40, deadlineMs: DEADLINE_MS, request: scoreRequest(`kill-${dependency}`) },
        async (load) => {
          await sleep(500);
          await stack.kill(dependency);
          killedAt = performance.now();
          await sleep(DOWN_MS);
          await stack.revive(dependency);
          revivedAt = performance.now();
          await untilRecovered(load, revivedAt, healthy, HALF_OPEN_MS[dependency] + 1_500);
        },
      );
      const { result, figures } = run;
      // Requests sent while it was down (and a little after it died, for calls already on their way to finish).
      const down = result.outcomes.filter((o) => o.sentAt >= killedAt + 50 && o.sentAt < revivedAt);
      const back = recovery(result.outcomes, revivedAt, healthy);
      const outage =
        dependency === 'events'
          ? check(
              'answers during the outage are 200 and flagged degraded',
              down.every((o) => o.status === 200 && o.degraded?.includes('events')),
              `${down.filter((o) => o.degraded?.includes('events')).length} of ${down.length} flagged`,
            )
          : check(
              `answers during the outage are 503/504 naming ${dependency}`,
              down.every((o) => (o.status === 503 || o.status === 504) && o.dependency === dependency),
              `${down.filter((o) => o.dependency === dependency).length} of ${down.length}`,
            );
      await verify(
        {
          id: `kill/${dependency}`,
          group: 'Dependency killed and restarted',
          title: `${dependency}: SIGKILL, down ${DOWN_MS / 1000} s, restarted on the same port`,
          figures: loadScenarioFigures(result, figures, DEADLINE_MS, {
            extra: { down: down.length, recoveredAfterMs: back.afterMs ?? 'never' },
          }),
        },
        [
          ...deadlineChecks(figures, DEADLINE_MS, result, run.server),
          statusesWithin(figures, dependency === 'events' ? [200] : [200, 503, 504]),
          outage,
          check(
            'service returns within the half-open window of the restart (the pools reconnect)',
            back.afterMs !== undefined && back.afterMs <= HALF_OPEN_MS[dependency] + 500 && back.steady,
            `first complete answer ${back.afterMs ?? 'never'} ms after it was up again; ${back.badAfter} incomplete after it`,
          ),
        ],
        attempt,
      );
    }));
}

import { after, before, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { RunningService } from '@splitserve/test-support';
import { startChaosStack, type ChaosStack } from '../src/chaos-stack.ts';
import { loadScenarioFigures } from '../src/checks.ts';
import { summarizeLoad } from '../src/figures.ts';
import { scoreRequest, warmUp } from '../src/gateway-load.ts';
import { startLoad, type LoadRequest } from '../src/open-loop.ts';
import { check, verify } from '../src/results.ts';
import { inferRequest } from '../src/scorer-load.ts';

let stack: ChaosStack;
before(async () => {
  stack = await startChaosStack({
    models: {
      interests: { instances: 1, maxBatchSize: 64 },
      'interests-heavy': { instances: 1, maxBatchSize: 4, maxQueueSize: 64, warmupRuns: 1 },
    },
    mockEnv: { MOCK_LATENCY_MS: '60', MOCK_JITTER_MS: '20' },
  });
});
after(() => stack.stop());

/**
 * Runs a constant load on `service`, sends it SIGTERM once requests are in flight, keeps the load going while it
 * drains, and checks that every request sent before the signal was answered 200 and that it exited 0.
 */
async function sigtermUnderLoad(
  id: string,
  title: string,
  service: RunningService,
  load: { ratePerSecond: number; request: (index: number) => LoadRequest },
) {
  const running = startLoad({ origin: service.url, durationMs: Infinity, ...load, hardCapMs: 15_000 });
  await sleep(1_500);
  const signalledAt = performance.now();
  service.child.kill('SIGTERM');
  const exitCode = await service.exited;
  const exitedAfterMs = Math.round(performance.now() - signalledAt);
  await sleep(200);
  running.stop();
  const result = await running.done;
  const inFlight = result.outcomes.filter((o) => o.sentAt < signalledAt);
  const answeredDuring = inFlight.filter((o) => o.sentAt + o.latencyMs > signalledAt).length;
  const afterSignal = summarizeLoad(result.outcomes.filter((o) => o.sentAt >= signalledAt));
  const before = summarizeLoad(inFlight);
  await verify(
    {
      id,
      group: 'Graceful shutdown',
      title,
      figures: loadScenarioFigures(result, before, undefined, {
        extra: {
          inFlightAtSignal: answeredDuring,
          exitCode: String(exitCode),
          exitedAfterMs,
          ...Object.fromEntries(Object.entries(afterSignal.statuses).map(([s, n]) => [`after signal ${s}`, n])),
        },
      }),
    },
    [
      check(
        'zero failed requests among those sent before the signal',
        before.requests > 0 && (before.statuses['200'] ?? 0) === before.requests,
        JSON.stringify(before.statuses),
      ),
      check('requests were in flight when the signal came', answeredDuring > 0, `${answeredDuring} in flight`),
      check('exit code 0', exitCode === 0, `exit ${exitCode} after ${exitedAfterMs} ms`),
    ],
  );
}

test('gateway: SIGTERM under load', async () => {
  const gateway = await stack.startGateway();
  await warmUp(gateway.url, 10);
  await sigtermUnderLoad('shutdown/gateway', 'gateway: SIGTERM at 60 req/s', gateway, {
    ratePerSecond: 60,
    request: scoreRequest('sigterm'),
  });
});

test('scorer: SIGTERM under load', async () => {
  await sigtermUnderLoad('shutdown/scorer', 'scorer: SIGTERM at 40 req/s of interests-heavy', stack.services.scorer, {
    ratePerSecond: 40,
    request: inferRequest('interests-heavy'),
  });
});

import { after, before, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { RunningService } from '@splitserve/test-support';
import { startChaosStack, type ChaosStack } from '../src/chaos-stack.ts';
import { deadlineChecks, loadScenarioFigures, statusesWithin } from '../src/checks.ts';
import { loadGateway, scoreRequest, warmUp } from '../src/gateway-load.ts';
import type { LoadRequest } from '../src/open-loop.ts';
import { sampleProcess, type ProcessSample } from '../src/process-sample.ts';
import { check, verify, type Check } from '../src/results.ts';

const SOAK_MS = 10 * 60_000;
const WARM_UP_MS = 2 * 60_000;
/** Footprints are compared as medians over a minute: right after the warm-up, and at the end. */
const COMPARE_MS = 60_000;
const SAMPLE_EVERY_MS = 5_000;
const DEADLINE_MS = 450;
const MAX_GROWTH = 0.05;

let stack: ChaosStack;
before(async () => {
  stack = await startChaosStack();
  await warmUp(stack.gateway.url);
});
after(() => stack?.stop());

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};

/** Nine in ten requests score one entity; the tenth scores a batch of ten. */
function mixedRequest(): (index: number) => LoadRequest {
  const single = scoreRequest('soak');
  return (index) =>
    index % 10 === 9
      ? {
          method: 'POST',
          path: '/v1/score/batch',
          body: JSON.stringify({ entityIds: Array.from({ length: 10 }, (_, i) => `u-books-soak-${index}-${i}`) }),
        }
      : single(index);
}

test('soak: 10 minutes of mixed load with background faults; memory and handles stay flat', async () => {
  const watched: Record<string, RunningService> = { gateway: stack.gateway, ...stack.services };
  const samples: Record<string, ProcessSample[]> = Object.fromEntries(Object.keys(watched).map((name) => [name, []]));
  const sampleAll = () => {
    for (const [name, { child }] of Object.entries(watched)) {
      if (child.exitCode !== null || child.signalCode !== null) {
        throw new Error(`${name} exited during the soak (${child.signalCode ?? `exit code ${child.exitCode}`})`);
      }
      samples[name]!.push(sampleProcess(child.pid!));
    }
  };
  // Background trouble all along: optional-source errors, a jittery scorer, a slow profile now and then.
  stack.proxies.events.setFault({ mode: 'status', status: 503, rate: 0.02 });
  stack.proxies.scorer.setFault({ mode: 'pass', latencyMs: 5, jitterMs: 5 });
  stack.proxies.profile.setFault({ mode: 'pass', rate: 1, latencyMs: 10, jitterMs: 10 });
  let startedAt = 0;
  const run = await loadGateway(
    stack.gateway.url,
    { ratePerSecond: 40, deadlineMs: DEADLINE_MS, request: mixedRequest() },
    async (_load, loadStartedAt) => {
      startedAt = loadStartedAt;
      sampleAll();
      while (performance.now() - startedAt < SOAK_MS) {
        await sleep(SAMPLE_EVERY_MS);
        sampleAll();
      }
    },
  );
  for (const proxy of Object.values(stack.proxies)) proxy.setFault({ mode: 'pass' });

  const checks: Check[] = [
    ...deadlineChecks(run.figures, DEADLINE_MS, run.result, run.server),
    statusesWithin(run.figures, [200, 503, 504]),
    check(
      'service stays healthy: at least 99.5% answered 200',
      (run.figures.statuses['200'] ?? 0) >= run.figures.requests * 0.995,
      `${run.figures.statuses['200'] ?? 0} of ${run.figures.requests}`,
    ),
  ];
  const footprint: Record<string, string> = {};
  const medians: Record<string, { rssMiB: { start: number; end: number }; fds: { start: number; end: number } }> = {};
  for (const [name, list] of Object.entries(samples)) {
    const early = list.filter((s) => s.at - startedAt >= WARM_UP_MS && s.at - startedAt < WARM_UP_MS + COMPARE_MS);
    const late = list.filter((s) => s.at - startedAt >= SOAK_MS - COMPARE_MS);
    for (const [what, unit] of [
      ['rssMiB', 'MiB'],
      ['fds', 'fds'],
    ] as const) {
      const from = median(early.map((s) => s[what]));
      const to = median(late.map((s) => s[what]));
      const growth = to / from - 1;
      medians[name] ??= { rssMiB: { start: 0, end: 0 }, fds: { start: 0, end: 0 } };
      medians[name][what] = { start: from, end: to };
      footprint[`${name} ${what}`] = `${from} → ${to} ${unit} (${(growth * 100).toFixed(1)}%)`;
      if (name === 'gateway' || name === 'scorer') {
        checks.push(
          check(
            `${name}: ${what === 'fds' ? 'open handles' : 'resident memory'} flat after warm-up (≤ 5% growth)`,
            early.length > 0 && late.length > 0 && growth <= MAX_GROWTH,
            footprint[`${name} ${what}`]!,
          ),
        );
      }
    }
  }
  await verify(
    {
      id: 'soak/10min',
      group: 'Soak',
      title: '10 min at 40 req/s (1 in 10 a batch of 10), 2% optional-source errors, jittery scorer and profile',
      figures: loadScenarioFigures(run.result, run.figures, DEADLINE_MS, {
        // The gateway's, as compared: medians of the minute after warm-up and of the last minute.
        rssMiB: medians['gateway']!.rssMiB,
        handles: medians['gateway']!.fds,
        extra: { ...footprint, degraded: run.figures.degraded },
      }),
    },
    checks,
  );
});

import { after, before, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { RunningService } from '@splitserve/test-support';
import { startChaosStack, type ChaosStack } from '../src/chaos-stack.ts';
import { deadlineChecks, loadScenarioFigures, statusesWithin } from '../src/checks.ts';
import { loadGateway, scoreRequest, warmUp } from '../src/gateway-load.ts';
import type { LoadRequest } from '../src/open-loop.ts';
import { sampleProcess, type ProcessSample } from '../src/process-sample.ts';
import { scrape, total, type MetricSample } from '../src/prometheus.ts';
import { check, verify, type Check } from '../src/results.ts';

const SOAK_MS = 10 * 60_000;
const WARM_UP_MS = 2 * 60_000;
/** Footprints are compared as medians over a minute: right after the warm-up, and at the end. */
const COMPARE_MS = 60_000;
const SAMPLE_EVERY_MS = 5_000;
const DEADLINE_MS = 450;
const MAX_GROWTH = 0.05;
/** The V8 heap's floor wanders with the moments the samples meet the collector: allowed this much on top. */
const HEAP_FLOOR_SLACK_MIB = 1;

let stack: ChaosStack;
before(async () => {
  stack = await startChaosStack();
  await warmUp(stack.gateway.url);
});
after(() => stack?.stop());

/** Which services' V8 heaps are read (from their /metrics), and so checked. */
const HEAP_WATCHED = new Set(['gateway', 'scorer']);
type Sample = ProcessSample & { heap?: { usedMiB: number; totalMiB: number } };
const round = (mib: number) => Math.round(mib * 10) / 10;
const heapOf = (metrics: MetricSample[]) => ({
  usedMiB: round(total(metrics, 'nodejs_heap_size_used_bytes') / 2 ** 20),
  totalMiB: round(total(metrics, 'nodejs_heap_size_total_bytes') / 2 ** 20),
});

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
  const samples: Record<string, Sample[]> = Object.fromEntries(Object.keys(watched).map((name) => [name, []]));
  const sampleAll = async () => {
    for (const [name, { child, url }] of Object.entries(watched)) {
      if (child.exitCode !== null || child.signalCode !== null) {
        throw new Error(`${name} exited during the soak (${child.signalCode ?? `exit code ${child.exitCode}`})`);
      }
      const sample: Sample = sampleProcess(child.pid!);
      if (HEAP_WATCHED.has(name)) sample.heap = heapOf(await scrape(url));
      samples[name]!.push(sample);
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
      await sampleAll();
      while (performance.now() - startedAt < SOAK_MS) {
        await sleep(SAMPLE_EVERY_MS);
        await sampleAll();
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
    const compared = (what: string, unit: string, of: (s: readonly Sample[]) => number, slack = 0) => {
      const from = of(early);
      const to = of(late);
      const growth = to / from - 1;
      footprint[`${name} ${what}`] = `${from} → ${to} ${unit} (${(growth * 100).toFixed(1)}%)`;
      return { from, to, flat: early.length > 0 && late.length > 0 && to <= from * (1 + MAX_GROWTH) + slack };
    };
    const rss = compared('rssMiB', 'MiB', (s) => median(s.map((x) => x.rssMiB)));
    const fds = compared('fds', 'fds', (s) => median(s.map((x) => x.fds)));
    medians[name] = { rssMiB: { start: rss.from, end: rss.to }, fds: { start: fds.from, end: fds.to } };
    if (!HEAP_WATCHED.has(name)) continue;
    // Resident memory breathes with the V8 heap's size, which the collector grows and shrinks as it sees fit (14 MiB
    // either way in a 6-minute scorer run here, heap in use flat). A leak shows instead as a rising floor of the heap
    // in use (its lowest reading of the minute, after a collection) or as memory outside the heap growing.
    const heapFloor = compared(
      'heapUsedFloorMiB',
      'MiB',
      (s) => round(Math.min(...s.map((x) => x.heap!.usedMiB))),
      HEAP_FLOOR_SLACK_MIB,
    );
    const native = compared('outsideHeapMiB', 'MiB', (s) => median(s.map((x) => round(x.rssMiB - x.heap!.totalMiB))));
    checks.push(
      check(
        `${name}: V8 heap in use flat after warm-up (its floor, ≤ 5% + ${HEAP_FLOOR_SLACK_MIB} MiB)`,
        heapFloor.flat,
        footprint[`${name} heapUsedFloorMiB`]!,
      ),
      check(
        `${name}: memory outside the V8 heap flat after warm-up (≤ 5%)`,
        native.flat,
        footprint[`${name} outsideHeapMiB`]!,
      ),
      check(`${name}: open handles flat after warm-up (≤ 5%)`, fds.flat, footprint[`${name} fds`]!),
    );
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

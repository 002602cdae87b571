import { after, before, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { startChaosStack, type ChaosStack } from '../src/chaos-stack.ts';
import { deadlineChecks, loadScenarioFigures, statusesWithin } from '../src/checks.ts';
import { latencyFigures, summarizeLoad } from '../src/figures.ts';
import { loadGateway, warmUp, scoreRequest } from '../src/gateway-load.ts';
import { byMode } from '../src/mode.ts';
import { runLoad } from '../src/open-loop.ts';
import { isAlive, sampleProcess } from '../src/process-sample.ts';
import { scrape, total } from '../src/prometheus.ts';
import { check, retryOnMachineStall, timingCheck, verify } from '../src/results.ts';
import { inferRequest, measureCapacity } from '../src/scorer-load.ts';

const MODEL = 'interests-heavy';
/**
 * One worker, no batching and a short queue: the accepted requests' wait stays far inside the deadline, and three
 * times the capacity (about 30 requests a second of ~30 ms of CPU each) is a load the rest of this 2-core machine
 * (gateway, mocks, proxies, client) still carries without itself becoming the bottleneck.
 */
const MODEL_SETTINGS = { instances: 1, maxBatchSize: 1, maxQueueSize: 4, warmupRuns: 1 };
const DEADLINE_MS = 1_000;
/** 450 + 50 ms is a bucket bound of the gateway's latency histogram. */
const GATEWAY_DEADLINE_MS = 450;
const OVERLOAD_MS = byMode(4_000, 20_000);

let stack: ChaosStack;
/** Requests per second the scorer completes for this model, measured on this machine at the start. */
let capacity = 0;
before(async () => {
  stack = await startChaosStack({ models: { [MODEL]: MODEL_SETTINGS }, pipeline: { model: MODEL } });
  await warmUp(stack.gateway.url, 5);
  capacity = await measureCapacity(stack.services.scorer.url, inferRequest(MODEL), { clients: 8, durationMs: 2_000 });
});
after(() => stack.stop());

const restarts = async () => total(await scrape(stack.services.scorer.url), 'scorer_worker_restarts_total');

test('the scorer at 3× its capacity sheds the excess at once and serves the rest within the deadline', () =>
  retryOnMachineStall(async (attempt) => {
    const scorer = stack.services.scorer;
    const rate = Math.round(3 * capacity);
    const restartsBefore = await restarts();
    const start = sampleProcess(scorer.child.pid!);
    let peakRssMiB = start.rssMiB;
    const sampler = setInterval(() => {
      peakRssMiB = Math.max(peakRssMiB, sampleProcess(scorer.child.pid!).rssMiB);
    }, 250);
    const result = await runLoad({
      origin: scorer.url,
      ratePerSecond: rate,
      durationMs: OVERLOAD_MS,
      deadlineMs: DEADLINE_MS,
      request: inferRequest(MODEL),
    }).finally(() => clearInterval(sampler));
    await sleep(200);
    const end = sampleProcess(scorer.child.pid!);
    const figures = summarizeLoad(result.outcomes, DEADLINE_MS);
    const shed = result.outcomes.filter((o) => o.status === 503);
    const accepted = result.outcomes.filter((o) => o.status === 200);
    const shedLatency = latencyFigures(shed.map((o) => o.latencyMs));
    const acceptedLatency = latencyFigures(accepted.map((o) => o.latencyMs));
    const live = await fetch(`${scorer.url}/v2/health/live`);
    await verify(
      {
        id: 'overload/scorer-3x',
        group: 'Overload',
        title: `scorer at 3× capacity (${rate} req/s offered, capacity ${capacity.toFixed(1)})`,
        figures: loadScenarioFigures(result, figures, DEADLINE_MS, {
          shed: shed.length,
          rssMiB: { start: start.rssMiB, end: end.rssMiB },
          handles: { start: start.fds, end: end.fds },
          extra: {
            capacityPerSecond: Math.round(capacity * 10) / 10,
            offeredPerSecond: rate,
            acceptedP99Ms: acceptedLatency.p99,
            shedP50Ms: shedLatency.p50,
            shedP99Ms: shedLatency.p99,
            peakRssMiB,
          },
        }),
      },
      [
        ...deadlineChecks(figures, DEADLINE_MS, result),
        statusesWithin(figures, [200, 503]),
        check(
          'the excess is shed: 503 OVERLOADED with Retry-After',
          shed.length >= figures.requests / 3 && shed.every((o) => o.code === 'OVERLOADED' && o.retryAfter === '1'),
          `${shed.length} of ${figures.requests} shed`,
        ),
        timingCheck(
          'shed at once (median under 10 ms, p99 under 50 ms plus client stalls)',
          shedLatency.p50 < 10 && shedLatency.p99 < 50 + result.clientStallMs,
          `p50 ${shedLatency.p50} ms, p99 ${shedLatency.p99} ms, client stall ${result.clientStallMs} ms`,
        ),
        timingCheck(
          "accepted requests' p99 within the deadline",
          acceptedLatency.p99 <= DEADLINE_MS,
          `p99 ${acceptedLatency.p99} ms`,
        ),
        check(
          'memory stays bounded (peak within 25% of the start)',
          peakRssMiB <= start.rssMiB * 1.25,
          `${start.rssMiB} → peak ${peakRssMiB} MiB`,
        ),
        check(
          'nothing crashes',
          isAlive(scorer.child.pid!) && live.status === 200 && (await restarts()) === restartsBefore,
          `alive, live ${live.status}, ${(await restarts()) - restartsBefore} worker restarts`,
        ),
      ],
      attempt,
    );
  }));

test('the gateway does not amplify the load on a shedding scorer', () =>
  retryOnMachineStall(async (attempt) => {
    await sleep(1_000);
    const proxy = stack.proxies.scorer;
    const rate = Math.round(3 * capacity);
    proxy.resetStats();
    const run = await loadGateway(
      stack.gateway.url,
      { ratePerSecond: rate, deadlineMs: GATEWAY_DEADLINE_MS, request: scoreRequest('overload') },
      () => sleep(OVERLOAD_MS),
    );
    const attempts = proxy.stats().received;
    const requests = run.figures.requests;
    const served = run.figures.statuses['200'] ?? 0;
    await verify(
      {
        id: 'overload/gateway-3x',
        group: 'Overload',
        title: `gateway → scorer at 3× the scorer's capacity (${rate} req/s)`,
        figures: loadScenarioFigures(run.result, run.figures, GATEWAY_DEADLINE_MS, {
          attemptsPerRequest: Math.round((attempts / requests) * 1000) / 1000,
          extra: {
            scorerCalls: attempts,
            servedPerSecond: Math.round((served / (OVERLOAD_MS / 1000)) * 10) / 10,
            capacityPerSecond: Math.round(capacity * 10) / 10,
          },
        }),
      },
      [
        ...deadlineChecks(run.figures, GATEWAY_DEADLINE_MS, run.result, run.server),
        statusesWithin(run.figures, [200, 503, 504]),
        check(
          'scorer attempts per gateway request ≤ 1.2',
          attempts <= 1.2 * requests,
          `${attempts} scorer calls for ${requests} requests`,
        ),
        // Shedding is not failing: a breaker that opened on the scorer's 503s would turn away what it can still serve.
        check(
          "the gateway still serves at least 70% of the scorer's capacity",
          served / (OVERLOAD_MS / 1000) >= 0.7 * capacity,
          `${Math.round((served / (OVERLOAD_MS / 1000)) * 10) / 10} of ${Math.round(capacity * 10) / 10} req/s`,
        ),
        check('the gateway and the scorer are alive', isAlive(stack.gateway.child.pid!), 'gateway alive'),
      ],
      attempt,
    );
  }));

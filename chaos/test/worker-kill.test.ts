import { after, before, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { startChaosStack, type ChaosStack } from '../src/chaos-stack.ts';
import { deadlineChecks, loadScenarioFigures, statusesWithin } from '../src/checks.ts';
import { loadGateway, scoreRequest, warmUp } from '../src/gateway-load.ts';
import { byMode } from '../src/mode.ts';
import { scrape, total } from '../src/prometheus.ts';
import { check, retryOnMachineStall, verify } from '../src/results.ts';

const DEADLINE_MS = 450;
const KILLS = byMode(3, 10);

let stack: ChaosStack;
before(async () => {
  stack = await startChaosStack({
    models: { interests: { instances: 1, maxBatchSize: 8 } },
    scorerEnv: { SCORER_FAULT_INJECTION: 'true' },
  });
  await warmUp(stack.gateway.url);
});
after(() => stack.stop());

test('scorer workers killed under load: nothing hangs, each is replaced, service recovers', () =>
  retryOnMachineStall(async (attempt) => {
    const scorerUrl = () => stack.services.scorer.url;
    const restartsBefore = total(await scrape(scorerUrl()), 'scorer_worker_restarts_total');
    let lastKillAt = 0;
    const run = await loadGateway(
      stack.gateway.url,
      { ratePerSecond: 40, deadlineMs: DEADLINE_MS, request: scoreRequest('worker-kill') },
      async () => {
        for (let i = 0; i < KILLS; i++) {
          await sleep(1_000);
          const how = i % 2 === 0 ? 'exit' : 'throw';
          const armed = await fetch(`${scorerUrl()}/debug/models/interests/kill-next-batch?how=${how}`, {
            method: 'POST',
          });
          await armed.arrayBuffer();
          lastKillAt = performance.now();
        }
        await sleep(2_500);
      },
    );
    const restarts = total(await scrape(scorerUrl()), 'scorer_worker_restarts_total') - restartsBefore;
    const ready = (await fetch(`${scorerUrl()}/v2/health/ready`)).status;
    const settled = run.result.outcomes.filter((o) => o.sentAt >= lastKillAt + 1_000);
    const failed = run.figures.requests - (run.figures.statuses['200'] ?? 0);
    await verify(
      {
        id: 'worker-kill/gateway',
        group: 'Scorer worker killed',
        title: `${KILLS} inference workers killed (exit / throw) under 40 req/s`,
        figures: loadScenarioFigures(run.result, run.figures, DEADLINE_MS, {
          extra: { kills: KILLS, workerRestarts: restarts, failed },
        }),
      },
      [
        ...deadlineChecks(run.figures, DEADLINE_MS, run.result, run.server),
        statusesWithin(run.figures, [200, 503, 504]),
        check('every killed worker was replaced', restarts === KILLS, `${restarts} restarts for ${KILLS} kills`),
        check(
          'only the requests a dying worker held (or that waited past their deadline) failed',
          failed <= KILLS * 8,
          `${failed} failed`,
        ),
        check(
          'recovered: every request sent from 1 s after the last kill answered 200',
          settled.length > 0 && settled.every((o) => o.status === 200),
          `${settled.filter((o) => o.status === 200).length} of ${settled.length}`,
        ),
        check('the scorer is ready again', ready === 200, `readiness ${ready}`),
      ],
      attempt,
    );
  }));

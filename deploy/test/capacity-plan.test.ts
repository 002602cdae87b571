// The manifests' "capacity plan" figures and the README's cost table are the benchmark's capacity plan, recomputed
// here from the committed results (loadtest/results/*.json). After `pnpm bench` refreshes them, run
// `pnpm --filter @splitserve/loadtest capacity -- --write` and `pnpm format`.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { describe, test } from 'node:test';
import { capacityInputs, readPlanSources } from '../../loadtest/bench/capacity-inputs.ts';
import { manifestValues, readCostBlock } from '../../loadtest/bench/capacity-manifests.ts';
import { planCapacity, SEED_TARGET } from '../../loadtest/bench/capacity-plan.ts';
import { deployCostBlock } from '../../loadtest/bench/capacity-section.ts';
import { RESULTS_DIR } from '../../loadtest/bench/output-paths.ts';
import { asCloudRunService, containerOf, environmentOf } from './cloud-run-service.ts';
import { dryRun } from './dry-run.ts';

const plan = planCapacity(SEED_TARGET, await capacityInputs(await readPlanSources(RESULTS_DIR)));
const rendered = await dryRun();
assert.equal(rendered.code, 0, rendered.stderr);

// Prettier pads markdown tables; compare cells, not padding.
const normalise = (markdown: string) =>
  markdown
    .split('\n')
    .map((line) => line.replace(/\s+/g, ' ').replace(/-{3,}/g, '---').trim())
    .filter((line) => line !== '')
    .join('\n');

describe('deploy defaults follow the capacity plan (recomputed from loadtest/results)', () => {
  for (const [file, expected] of Object.entries(manifestValues(plan))) {
    test(`${file}: instances, concurrency, vCPUs, memory`, () => {
      const service = asCloudRunService(rendered.manifests[file], file);
      const annotations = service.spec.template.metadata.annotations;
      const limits = containerOf(service).resources.limits;
      const actual = {
        minScale: Number(annotations['autoscaling.knative.dev/minScale']),
        maxScale: Number(annotations['autoscaling.knative.dev/maxScale']),
        containerConcurrency: service.spec.template.spec.containerConcurrency,
        cpu: Number(limits.cpu),
        memory: limits.memory,
        ...(expected.scorerInstances !== undefined && {
          scorerInstances: Number(environmentOf(service)['SCORER_INSTANCES']),
        }),
      };
      assert.deepEqual(actual, expected, `${file} differs from the plan: run capacity -- --write`);
    });
  }

  test('deploy/README.md: the cost table is the plan’s', async () => {
    const block = readCostBlock(await readFile(new URL('../README.md', import.meta.url), 'utf8'));
    assert.ok(block !== undefined, 'deploy/README.md has lost its capacity-plan markers');
    assert.equal(normalise(block), normalise(deployCostBlock(plan)));
  });

  test('the plan sizes the scorer for the reference load at the target utilisation', () => {
    const busy = (SEED_TARGET.requestsPerSecond * plan.scorer.cpuPerRequestMs) / 1000;
    assert.ok(plan.scorer.instances * plan.scorer.cpusPerInstance * plan.policy.targetUtilisation >= busy);
    assert.ok(plan.scorer.maxScale >= plan.scorer.instances && plan.gateway.maxScale >= plan.gateway.instances);
  });
});

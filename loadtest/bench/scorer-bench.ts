import type { BenchRunContext } from './bench-context.ts';
import { createModelFixtures } from './model-fixtures.ts';
import type { ScorerResults } from './scorer-results.ts';
import { checkScorerTargets } from './scorer-targets.ts';
import { scorerVariants, withScorerVariants } from './scorer-variants.ts';
import { measureColdStart } from './suites/cold-start.ts';
import { measureLiveness } from './suites/liveness.ts';
import { measureSequentialLatency } from './suites/sequential-latency.ts';
import { measureThroughput } from './suites/throughput.ts';

/**
 * The scorer against raw onnxruntime on the same model files: cold start, single-row latency and CPU, throughput
 * and liveness under load, with the targets checked (unless the profile says not to).
 */
export async function runScorerBench(run: BenchRunContext): Promise<ScorerResults> {
  const startedAt = performance.now();
  const fixtures = await createModelFixtures();
  try {
    const context = { ...run, fixtures };
    const coldStart = await measureColdStart(context);
    const sequential = await measureSequentialLatency(context);
    const variants = scorerVariants(run.machine.cores, run.profile.settingsVariants);
    const underLoad = await withScorerVariants(
      variants,
      fixtures.servingRepository,
      run.layout.serving,
      async (scorers) => ({
        throughput: await measureThroughput(context, scorers),
        liveness: await measureLiveness(context, scorers),
      }),
    );
    const measured: Omit<ScorerResults, 'targets'> = {
      kind: 'scorer',
      command: run.command,
      profile: run.profile.name,
      machine: run.machine,
      layout: run.layout.description,
      durationS: (performance.now() - startedAt) / 1000,
      coldStart,
      sequential,
      ...underLoad,
    };
    return { ...measured, targets: checkScorerTargets(measured, run.profile.checkTargets) };
  } finally {
    await fixtures.remove();
  }
}

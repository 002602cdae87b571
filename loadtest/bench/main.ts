// pnpm bench [-- --quick]: measures the scorer against raw onnxruntime and writes loadtest/results/scorer.json and
// BENCHMARKS.md. BENCH_QUICK=1 or --quick: about a second per figure, no target checks, output in loadtest/.tmp/.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { writeBenchmarks } from './benchmarks-document.ts';
import { benchProfile } from './bench-profile.ts';
import { cpuLayout } from './cpu-layout.ts';
import { describeMachine } from './machine.ts';
import { createModelFixtures } from './model-fixtures.ts';
import { BENCHMARKS_FILE, QUICK_DIR, RESULTS_DIR } from './output-paths.ts';
import type { ScorerResults } from './scorer-results.ts';
import { checkScorerTargets } from './scorer-targets.ts';
import { scorerVariants, withScorerVariants } from './scorer-variants.ts';
import { measureColdStart } from './suites/cold-start.ts';
import { measureLiveness } from './suites/liveness.ts';
import { measureSequentialLatency } from './suites/sequential-latency.ts';
import { measureThroughput } from './suites/throughput.ts';

const quick = process.argv.includes('--quick') || ['1', 'true'].includes(process.env['BENCH_QUICK'] ?? '');
const profile = benchProfile(quick);
const machine = describeMachine();
const layout = cpuLayout(machine);
const startedAt = performance.now();
const progress = (message: string) =>
  process.stderr.write(`[bench ${((performance.now() - startedAt) / 1000).toFixed(0).padStart(3)} s] ${message}\n`);

progress(`${profile.name} profile on ${machine.cpuModel}, ${machine.cores} cores, Node ${machine.node}`);
const fixtures = await createModelFixtures();
try {
  const context = { profile, machine, layout, fixtures, progress };
  const coldStart = await measureColdStart(context);
  const sequential = await measureSequentialLatency(context);
  const variants = scorerVariants(machine.cores, profile.settingsVariants);
  const underLoad = await withScorerVariants(variants, fixtures.servingRepository, layout.serving, async (scorers) => ({
    throughput: await measureThroughput(context, scorers),
    liveness: await measureLiveness(context, scorers),
  }));
  const measured: Omit<ScorerResults, 'targets'> = {
    kind: 'scorer',
    command: quick ? 'pnpm bench -- --quick' : 'pnpm bench',
    profile: profile.name,
    machine,
    layout: layout.description,
    durationS: (performance.now() - startedAt) / 1000,
    coldStart,
    sequential,
    ...underLoad,
  };
  const results: ScorerResults = { ...measured, targets: checkScorerTargets(measured, profile.checkTargets) };

  const resultsDir = quick ? path.join(QUICK_DIR, 'results') : RESULTS_DIR;
  const benchmarksFile = quick ? path.join(QUICK_DIR, 'BENCHMARKS.md') : BENCHMARKS_FILE;
  await mkdir(resultsDir, { recursive: true });
  await writeFile(path.join(resultsDir, 'scorer.json'), `${JSON.stringify(results, null, 2)}\n`);
  await writeBenchmarks(resultsDir, benchmarksFile);
  for (const check of results.targets) {
    const verdict = check.holds === undefined ? 'not checked' : check.holds ? 'holds' : 'MISSES';
    console.log(`${verdict.padEnd(11)}  ${check.target}: ${check.measured}`);
  }
  progress(`wrote ${path.join(resultsDir, 'scorer.json')} and ${benchmarksFile}`);
} finally {
  await fixtures.remove();
}

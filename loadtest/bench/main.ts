// pnpm bench [-- --quick] [-- --only scorer,gateway,comparison] [-- --out <dir>]: measures the scorer against raw
// onnxruntime, the gateway against a bare node:http + undici floor, and the monolith against the split stack;
// writes loadtest/results/<kind>.json and BENCHMARKS.md. BENCH_QUICK=1 or --quick: about a second per figure, no
// target checks, output in loadtest/.tmp/quick/ (or --out).
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { benchOptions, type BenchmarkName } from './bench-options.ts';
import type { BenchRunContext } from './bench-context.ts';
import { writeBenchmarks } from './benchmarks-document.ts';
import { benchProfile } from './bench-profile.ts';
import { runComparisonBench } from './comparison-bench.ts';
import { cpuLayout } from './cpu-layout.ts';
import { runGatewayBench } from './gateway-bench.ts';
import { describeMachine } from './machine.ts';
import { BENCHMARKS_FILE, QUICK_DIR, RESULTS_DIR } from './output-paths.ts';
import { runScorerBench } from './scorer-bench.ts';
import type { TargetCheck } from './scorer-targets.ts';

const RUNS: Record<BenchmarkName, (context: BenchRunContext) => Promise<{ kind: string; targets: TargetCheck[] }>> = {
  scorer: runScorerBench,
  gateway: runGatewayBench,
  comparison: runComparisonBench,
};

const options = benchOptions(process.argv, process.env);
const profile = benchProfile(options.quick);
const machine = describeMachine();
const startedAt = performance.now();
const progress = (message: string) =>
  process.stderr.write(`[bench ${((performance.now() - startedAt) / 1000).toFixed(0).padStart(3)} s] ${message}\n`);
const context: BenchRunContext = { profile, machine, layout: cpuLayout(machine), command: options.command, progress };

progress(`${profile.name} profile on ${machine.cpuModel}, ${machine.cores} cores, Node ${machine.node}`);
const outDir = options.outDir ?? (options.quick ? QUICK_DIR : undefined);
const resultsDir = outDir === undefined ? RESULTS_DIR : path.join(outDir, 'results');
const benchmarksFile = outDir === undefined ? BENCHMARKS_FILE : path.join(outDir, 'BENCHMARKS.md');
await mkdir(resultsDir, { recursive: true });
const checks: TargetCheck[] = [];
for (const name of options.only) {
  const results = await RUNS[name](context);
  await writeFile(path.join(resultsDir, `${results.kind}.json`), `${JSON.stringify(results, null, 2)}\n`);
  progress(`wrote ${path.join(resultsDir, `${results.kind}.json`)}`);
  checks.push(...results.targets);
}
await writeBenchmarks(resultsDir, benchmarksFile);
for (const check of checks) {
  const verdict = check.holds === undefined ? 'not checked' : check.holds ? 'holds' : 'MISSES';
  console.log(`${verdict.padEnd(11)}  ${check.target}: ${check.measured}`);
}
progress(`wrote ${benchmarksFile}`);

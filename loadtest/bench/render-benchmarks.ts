// Regenerates BENCHMARKS.md from loadtest/results/*.json without measuring anything:
// pnpm --filter @splitserve/loadtest bench:report
import { writeBenchmarks } from './benchmarks-document.ts';
import { RESULTS_DIR, BENCHMARKS_FILE } from './output-paths.ts';

await writeBenchmarks(RESULTS_DIR, BENCHMARKS_FILE);
console.log(`wrote ${BENCHMARKS_FILE}`);

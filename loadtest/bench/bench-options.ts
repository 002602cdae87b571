/** The benchmarks `pnpm bench` can run, in the order it runs them. */
export const BENCHMARKS = ['scorer', 'gateway', 'comparison'] as const;
export type BenchmarkName = (typeof BENCHMARKS)[number];

/** What the command line and the environment ask of a run. */
export type BenchOptions = {
  quick: boolean;
  /** The benchmarks to run; those not run keep their last results file. */
  only: readonly BenchmarkName[];
  /** `--out <dir>`: where results and BENCHMARKS.md go instead of the usual places (e.g. a test's temp dir). */
  outDir: string | undefined;
  /** The command as a reader would retype it, for the report. */
  command: string;
};

/**
 * Reads `--quick` (or `BENCH_QUICK=1`) and `--only <names>` / `--only=<names>` (comma-separated, e.g.
 * `--only gateway`) and `--out <dir>` wherever they appear, since pnpm passes its own `--` through. Throws on an
 * unknown name or a missing directory.
 */
export function benchOptions(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): BenchOptions {
  const quick = argv.includes('--quick') || ['1', 'true'].includes(env['BENCH_QUICK'] ?? '');
  const at = argv.findIndex((arg) => arg === '--only' || arg.startsWith('--only='));
  const list = at === -1 ? undefined : argv[at]!.startsWith('--only=') ? argv[at]!.slice(7) : argv[at + 1];
  const names = at === -1 ? [...BENCHMARKS] : (list ?? '').split(',').map((name) => name.trim());
  if (names.some((name) => !(BENCHMARKS as readonly string[]).includes(name))) {
    throw new Error(`--only takes a comma-separated list of ${BENCHMARKS.join(', ')}; got '${list ?? ''}'`);
  }
  const only = BENCHMARKS.filter((name) => names.includes(name));
  const outAt = argv.indexOf('--out');
  const outDir = outAt === -1 ? undefined : argv[outAt + 1];
  if (outAt !== -1 && (outDir === undefined || outDir.startsWith('--'))) throw new Error('--out takes a directory');
  const flags = [...(quick ? ['--quick'] : []), ...(at === -1 ? [] : [`--only ${only.join(',')}`])];
  return { quick, only, outDir, command: flags.length > 0 ? `pnpm bench -- ${flags.join(' ')}` : 'pnpm bench' };
}

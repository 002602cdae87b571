import type { BenchRunContext } from './bench-context.ts';
import type { Machine } from './machine.ts';
import type { TargetCheck } from './scorer-targets.ts';
import { measureComparison, type ComparisonMeasurements } from './suites/comparison.ts';

/** What one `pnpm bench` run measured of monolith against split: `loadtest/results/comparison.json`. */
export type ComparisonResults = ComparisonMeasurements & {
  kind: 'comparison';
  /** The command that produced these figures, as a reader would type it. */
  command: string;
  profile: 'full' | 'quick';
  machine: Machine;
  durationS: number;
  /** No pass/fail targets: the comparison reports what it finds. */
  targets: TargetCheck[];
};

/** The monolith against the split stack at each upstream latency and offered rate of the profile. */
export async function runComparisonBench(run: BenchRunContext): Promise<ComparisonResults> {
  const startedAt = performance.now();
  const measured = await measureComparison(run);
  return {
    kind: 'comparison',
    command: run.command,
    profile: run.profile.name,
    machine: run.machine,
    durationS: (performance.now() - startedAt) / 1000,
    ...measured,
    targets: [],
  };
}

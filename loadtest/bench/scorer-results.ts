import type { Machine } from './machine.ts';
import type { ColdStartResults } from './suites/cold-start.ts';
import type { LivenessResults } from './suites/liveness.ts';
import type { SequentialLatencyResults } from './suites/sequential-latency.ts';
import type { ThroughputResults } from './suites/throughput.ts';
import type { TargetCheck } from './scorer-targets.ts';

/** Everything one `pnpm bench` run measured about the scorer: the content of `loadtest/results/scorer.json`. */
export type ScorerResults = {
  kind: 'scorer';
  /** The command that produced these figures, as a reader would type it. */
  command: string;
  profile: 'full' | 'quick';
  machine: Machine;
  /** Which process ran on which CPUs. */
  layout: string;
  durationS: number;
  coldStart: ColdStartResults;
  sequential: SequentialLatencyResults;
  throughput: ThroughputResults;
  liveness: LivenessResults;
  targets: TargetCheck[];
};

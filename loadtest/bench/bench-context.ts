import type { BenchProfile } from './bench-profile.ts';
import type { CpuLayout } from './cpu-layout.ts';
import type { Machine } from './machine.ts';
import type { ModelFixtures } from './model-fixtures.ts';

/** What every suite gets from main.ts. */
export type BenchContext = {
  profile: BenchProfile;
  machine: Machine;
  layout: CpuLayout;
  fixtures: ModelFixtures;
  /** One progress line on stderr. */
  progress(message: string): void;
};

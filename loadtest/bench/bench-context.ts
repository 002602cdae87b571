import type { BenchProfile } from './bench-profile.ts';
import type { CpuLayout } from './cpu-layout.ts';
import type { Machine } from './machine.ts';
import type { ModelFixtures } from './model-fixtures.ts';

/** What every benchmark gets from main.ts. */
export type BenchRunContext = {
  profile: BenchProfile;
  machine: Machine;
  layout: CpuLayout;
  /** The command that started the run, as a reader would type it. */
  command: string;
  /** One progress line on stderr. */
  progress(message: string): void;
};

/** What every scorer suite gets: the run's context and the model repositories built for it. */
export type BenchContext = BenchRunContext & { fixtures: ModelFixtures };

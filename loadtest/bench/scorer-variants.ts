import { startScorer, type ScorerSettings } from './scorer-process.ts';
import type { ServerProcess } from './server-process.ts';

/** Scorer settings tried under load, labelled for the report. */
export type ScorerVariant = { label: string; settings: ScorerSettings };

/** A variant's scorer, running. */
export type RunningVariant = { variant: ScorerVariant; server: ServerProcess };

/**
 * The defaults, plus settings worth trying when throughput misses: one worker per model (leaves a core to the HTTP
 * thread), workers at normal priority (niceness 0 instead of 10), and a short queue delay (a free worker waits up to
 * 2 ms for company instead of taking a lone request, so batches form even at moderate concurrency). `instances` is
 * set explicitly to the machine's default so that pinning the scorer with taskset could not shrink it.
 */
export function scorerVariants(cores: number, includeAlternatives: boolean): ScorerVariant[] {
  const variants: ScorerVariant[] = [{ label: 'default', settings: { instances: cores } }];
  if (includeAlternatives) {
    variants.push(
      { label: 'one instance', settings: { instances: 1 } },
      { label: 'worker nice 0', settings: { instances: cores, workerNice: 0 } },
      { label: 'queue delay 2 ms', settings: { instances: cores, maxQueueDelayMs: 2 } },
    );
  }
  return variants;
}

/**
 * Starts one scorer per variant on the same repository, one after another (a scorer warming its models would steal
 * CPU from another's start), hands them to `use` to be measured side by side, and stops them all afterwards,
 * whether `use` succeeded or not.
 */
export async function withScorerVariants<T>(
  variants: readonly ScorerVariant[],
  modelRepository: string,
  cpus: string | undefined,
  use: (scorers: readonly RunningVariant[]) => Promise<T>,
): Promise<T> {
  const running: RunningVariant[] = [];
  try {
    for (const variant of variants) {
      running.push({ variant, server: await startScorer({ modelRepository, settings: variant.settings, cpus }) });
    }
    return await use(running);
  } finally {
    await Promise.allSettled(running.map(({ server }) => server.stop()));
  }
}

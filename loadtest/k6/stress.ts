// k6 run loadtest/k6/stress.ts — stress: a rising arrival rate in plateaus until past the knee; the service must shed, not fail.
// Settings come from the environment (see README.md); TARGET picks the gateway or the scorer.
import type { Options } from 'k6/options';
import { loadConfig } from './lib/config.ts';
import { createIteration } from './lib/iteration.ts';
import { buildOptions } from './lib/options.ts';
import { createSummaryHandler } from './lib/summary.ts';

const config = loadConfig('stress', __ENV);
const iterate = createIteration(config);
const summarize = createSummaryHandler(config);

export const options: Options = buildOptions(config);

export default function (): void {
  iterate();
}

export function handleSummary(data: unknown): Record<string, string> {
  return summarize(data);
}

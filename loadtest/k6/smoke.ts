// k6 run loadtest/k6/smoke.ts — smoke: a few VUs for at most a minute; every request must be answered correctly.
// Settings come from the environment (see README.md); TARGET picks the gateway or the scorer.
import type { Options } from 'k6/options';
import { loadConfig } from './lib/config.ts';
import { createIteration } from './lib/iteration.ts';
import { buildOptions } from './lib/options.ts';
import { createSummaryHandler } from './lib/summary.ts';

const config = loadConfig('smoke', __ENV);
const iterate = createIteration(config);
const summarize = createSummaryHandler(config);

export const options: Options = buildOptions(config);

export default function (): void {
  iterate();
}

export function handleSummary(data: unknown): Record<string, string> {
  return summarize(data);
}

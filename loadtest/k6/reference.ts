// k6 run loadtest/k6/reference.ts — reference: the capacity target at a constant arrival rate (1000 requests/s on Cloud Run), within the SLO.
// Settings come from the environment (see README.md); TARGET picks the gateway or the scorer.
import type { Options } from 'k6/options';
import { loadConfig } from './lib/config.ts';
import { createIteration } from './lib/iteration.ts';
import { buildOptions } from './lib/options.ts';
import { createSummaryHandler } from './lib/summary.ts';

const config = loadConfig('reference', __ENV);
const iterate = createIteration(config);
const summarize = createSummaryHandler(config);

export const options: Options = buildOptions(config);

export default function (): void {
  iterate();
}

export function handleSummary(data: unknown): Record<string, string> {
  return summarize(data);
}

import type { Options } from 'k6/options';
import type { RunConfig } from './config.ts';

/** k6 options for a run: its profile's scenarios and thresholds, test-wide tags, and p99 in every trend summary. */
export function buildOptions(config: RunConfig): Options {
  return {
    scenarios: config.plan.scenarios,
    thresholds: config.plan.thresholds({
      route: config.targetInfo.route,
      gateway: config.targetInfo.service === 'gateway',
      batch: config.target === 'gateway-batch',
    }),
    summaryTrendStats: ['avg', 'min', 'med', 'max', 'p(90)', 'p(95)', 'p(99)', 'count'],
    tags: { profile: config.profile, target: config.target },
    userAgent: 'splitserve-k6',
  };
}

import type { RunConfig } from './config.ts';
import { BUILTIN, METRIC } from './metric-names.ts';
import { findKnee, phaseRows, type Knee, type PhaseRow } from './phase-report.ts';
import { observedValue, readSummary, type SummaryView } from './summary-data.ts';
import { isReportOnly, selector } from './thresholds.ts';

/** Where the JSON summary goes unless SUMMARY_PATH says otherwise (relative to k6's working directory). */
export const DEFAULT_SUMMARY_DIR = 'loadtest/k6/.tmp';

/**
 * The script's handleSummary: a short text report on stdout (thresholds with the values they saw, totals, the
 * per-phase table and, for stress, the knee) and a JSON file with the run's settings, the phase table and k6's
 * whole summary data. `now` is injected for tests.
 */
export function createSummaryHandler(config: RunConfig, now: () => Date = () => new Date()) {
  return function handleSummary(data: unknown): Record<string, string> {
    const view = readSummary(data);
    const rows = phaseRows(view, config.targetInfo.route, config.plan.phases, config.plan.reportedPhases);
    const knee =
      config.plan.kneeFailureRate === undefined
        ? undefined
        : findKnee(rows, config.plan.limits, config.plan.kneeFailureRate);
    const stamp = now().toISOString().replace(/[:.]/g, '-');
    const path = config.summaryPath ?? `${DEFAULT_SUMMARY_DIR}/${config.profile}-${config.target}-${stamp}.json`;
    const json = { splitserve: describeRun(config), phases: rows, knee, k6: data };
    return {
      stdout: renderText(config, view, rows, knee, path),
      [path]: `${JSON.stringify(json, null, 2)}\n`,
    };
  };
}

/** The run's settings as the JSON summary records them; the Authorization header is left out. */
export function describeRun(config: RunConfig) {
  return {
    profile: config.profile,
    target: config.target,
    route: config.targetInfo.route,
    request: config.targetInfo.description,
    baseUrl: config.baseUrl,
    model: config.model ?? null,
    batchSize: config.batchSize,
    topK: config.topK ?? null,
    entityCount: config.entityCount,
    deadlineMs: config.deadlineMs ?? null,
    authenticated: config.authorization !== undefined,
    scenarios: config.plan.scenarios,
    limits: config.plan.limits,
    plannedIterations: config.plan.plannedIterations ?? null,
    plannedDurationS: config.plan.durationS,
  };
}

const percent = (rate: number | undefined) => (rate === undefined ? '-' : `${(rate * 100).toFixed(2)}%`);
const ms = (value: number | undefined) =>
  value === undefined ? '-' : `${value < 10 ? value.toFixed(1) : Math.round(value).toString()} ms`;
const pad = (text: string, width: number) => (text.length >= width ? text : text + ' '.repeat(width - text.length));

function renderText(
  config: RunConfig,
  view: SummaryView,
  rows: readonly PhaseRow[],
  knee: Knee | undefined,
  path: string,
): string {
  const route = `route:${config.targetInfo.route}`;
  const metric = (name: string) => view.metrics.get(name);
  const lines: string[] = [''];
  lines.push(
    `splitserve k6 · ${config.profile} · ${config.targetInfo.description} · ${config.baseUrl}` +
      (config.model === undefined ? ' · gateway default model' : ` · model ${config.model}`),
  );
  const verdict = view.passed === undefined ? 'unknown' : view.passed ? 'PASS' : 'FAIL';
  const seconds = view.durationMs === undefined ? '' : ` in ${(view.durationMs / 1000).toFixed(0)} s`;
  lines.push(`result: ${verdict}${seconds}`, '', 'thresholds');
  for (const [name, summary] of [...view.metrics.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    for (const [expression, ok] of Object.entries(summary.thresholds)) {
      if (isReportOnly(expression)) continue;
      const seen = observedValue(summary, expression);
      const shown = summary.type === 'rate' ? percent(seen) : summary.type === 'trend' ? ms(seen) : (seen ?? '-');
      lines.push(`  ${ok ? '✓' : '✗'} ${name} ${expression}   (saw ${shown})`);
    }
  }

  const requests = metric(BUILTIN.requests)?.values;
  const success =
    metric(selector(BUILTIN.duration, route, 'expected_response:true'))?.values ??
    metric(selector(BUILTIN.duration, 'expected_response:true'))?.values;
  lines.push(
    '',
    `requests ${requests?.['count'] ?? '-'} (${(requests?.['rate'] ?? 0).toFixed(1)}/s) · shed ${percent(
      metric(METRIC.shed)?.values['rate'],
    )} · errors ${percent(metric(METRIC.errors)?.values['rate'])} · dropped iterations ${
      metric(BUILTIN.dropped)?.values['count'] ?? 0
    } · checks passed ${percent(metric(BUILTIN.checks)?.values['rate'])}`,
  );
  if (config.targetInfo.service === 'gateway') {
    lines.push(`degraded answers ${percent(metric(METRIC.degraded)?.values['rate'])}`);
  }
  if (config.target === 'gateway-batch') {
    lines.push(
      `batch entities: shed ${percent(metric(METRIC.batchItemsShed)?.values['rate'])} · errors ${percent(
        metric(METRIC.batchItemsErrors)?.values['rate'],
      )}`,
    );
  }
  lines.push(
    `successful answers: med ${ms(success?.['med'])} · p95 ${ms(success?.['p(95)'])} · p99 ${ms(
      success?.['p(99)'],
    )} · max ${ms(success?.['max'])}`,
  );

  if (rows.length > 0) {
    lines.push(
      '',
      `${pad('phase', 14)}${pad('target/s', 10)}${pad('sent/s', 10)}${pad('p95', 10)}${pad('p99', 10)}${pad('shed', 9)}errors`,
    );
    for (const row of rows) {
      lines.push(
        pad(row.phase, 14) +
          pad(row.targetRate === undefined ? '-' : String(row.targetRate), 10) +
          pad(row.achievedRate === undefined ? '-' : row.achievedRate.toFixed(1), 10) +
          pad(ms(row.p95Ms), 10) +
          pad(ms(row.p99Ms), 10) +
          pad(percent(row.shedRate), 9) +
          percent(row.errorRate),
      );
    }
  }
  if (knee !== undefined) lines.push('', describeKnee(knee, config));
  lines.push('', `JSON summary: ${path}`, '');
  return lines.join('\n');
}

function describeKnee(knee: Knee, config: RunConfig): string {
  const slo = `p95 ≤ ${config.plan.limits.p95Ms} ms, p99 ≤ ${config.plan.limits.p99Ms} ms`;
  if (knee.firstOutside === undefined) {
    return `knee: not reached — every plateau up to ${knee.lastWithin?.targetRate ?? '-'}/s stayed within the SLO (${slo}); raise PEAK_RATE`;
  }
  const within =
    knee.lastWithin === undefined ? 'none (the first plateau is already outside)' : `${knee.lastWithin.targetRate}/s`;
  return `knee: last plateau within the SLO (${slo}) ${within}; first outside ${knee.firstOutside.targetRate}/s: ${knee.reason}`;
}

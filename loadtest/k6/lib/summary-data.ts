/**
 * Reads the end-of-test data k6 passes to handleSummary. Two shapes exist: the long-standing one (`metrics` keyed
 * by metric or sub-metric name, thresholds with `ok`) and the machine-readable one k6 v1.5 introduced behind
 * --new-machine-readable-summary and announced as a future default (`results.metrics` as an array, one overall
 * `results.passed`). Both become one map; anything unexpected is skipped rather than thrown on.
 */

export type MetricSummary = Readonly<{
  type: string;
  values: Readonly<Record<string, number>>;
  /** Expression → held. Empty in the machine-readable shape, which reports only `passed` overall. */
  thresholds: Readonly<Record<string, boolean>>;
}>;

export type SummaryView = Readonly<{
  metrics: ReadonlyMap<string, MetricSummary>;
  /** Whether every threshold held, when k6 says so. */
  passed: boolean | undefined;
  durationMs: number | undefined;
}>;

type Json = Record<string, unknown>;
const isRecord = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function numbersOf(value: unknown): Record<string, number> {
  const numbers: Record<string, number> = {};
  if (isRecord(value)) for (const [key, v] of Object.entries(value)) if (typeof v === 'number') numbers[key] = v;
  return numbers;
}

function metricOf(value: Json): MetricSummary {
  const thresholds: Record<string, boolean> = {};
  if (isRecord(value['thresholds'])) {
    for (const [expression, result] of Object.entries(value['thresholds'])) {
      if (isRecord(result) && typeof result['ok'] === 'boolean') thresholds[expression] = result['ok'];
    }
  }
  return {
    type: typeof value['type'] === 'string' ? value['type'] : 'unknown',
    values: numbersOf(value['values']),
    thresholds,
  };
}

export function readSummary(data: unknown): SummaryView {
  const metrics = new Map<string, MetricSummary>();
  const root = isRecord(data) ? data : {};
  if (isRecord(root['metrics'])) {
    for (const [name, value] of Object.entries(root['metrics']))
      if (isRecord(value)) metrics.set(name, metricOf(value));
  }
  const results = isRecord(root['results']) ? root['results'] : {};
  if (Array.isArray(results['metrics'])) {
    for (const value of results['metrics']) {
      if (isRecord(value) && typeof value['name'] === 'string') metrics.set(value['name'], metricOf(value));
    }
  }
  const state = isRecord(root['state']) ? root['state'] : {};
  const config = isRecord(root['config']) ? root['config'] : {};
  let passed = typeof results['passed'] === 'boolean' ? results['passed'] : undefined;
  if (passed === undefined && metrics.size > 0) {
    passed = [...metrics.values()].every((metric) => Object.values(metric.thresholds).every(Boolean));
  }
  const durationMs =
    typeof state['testRunDurationMs'] === 'number'
      ? state['testRunDurationMs']
      : typeof config['duration'] === 'number'
        ? config['duration'] * 1000
        : undefined;
  return { metrics, passed, durationMs };
}

/** The value a threshold expression tests: "p(95)<300" → values["p(95)"], "rate<=0.01" → values.rate. */
export function observedValue(metric: MetricSummary, expression: string): number | undefined {
  const aggregation = /^\s*([a-z]+(?:\([\d.]+\))?)/.exec(expression)?.[1];
  return aggregation === undefined ? undefined : metric.values[aggregation];
}

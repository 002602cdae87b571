/** One sample of a Prometheus text exposition: metric name, labels and value. */
export type MetricSample = { name: string; labels: Record<string, string>; value: number };

/** Reads and parses `GET <url>/metrics`. */
export async function scrape(url: string): Promise<MetricSample[]> {
  const response = await fetch(`${url}/metrics`, { signal: AbortSignal.timeout(5_000) });
  return parseExposition(await response.text());
}

export function parseExposition(text: string): MetricSample[] {
  const samples: MetricSample[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const match = /^([A-Za-z_:][\w:]*)(?:\{(.*)\})?\s+(\S+)/.exec(line);
    if (match === null) continue;
    const labels: Record<string, string> = {};
    for (const [, key, value] of (match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[key!] = value!;
    samples.push({ name: match[1]!, labels, value: Number(match[3]) });
  }
  return samples;
}

/** The sum of every sample of `name` whose labels include `labels`. */
export function total(samples: readonly MetricSample[], name: string, labels: Record<string, string> = {}): number {
  let sum = 0;
  for (const sample of samples) {
    if (sample.name !== name) continue;
    if (Object.entries(labels).every(([key, value]) => sample.labels[key] === value)) sum += sample.value;
  }
  return sum;
}

/**
 * How many observations of a histogram fell above `thresholdS` (which must be one of its bucket bounds) between two
 * scrapes, and how many there were in all.
 */
export function observationsAbove(
  before: readonly MetricSample[],
  after: readonly MetricSample[],
  histogram: string,
  thresholdS: number,
  labels: Record<string, string> = {},
): { count: number; above: number } {
  const delta = (name: string, extra: Record<string, string> = {}) =>
    total(after, name, { ...labels, ...extra }) - total(before, name, { ...labels, ...extra });
  const bucket = { le: String(thresholdS) };
  if (!after.some((s) => s.name === `${histogram}_bucket` && s.labels['le'] === bucket.le)) {
    throw new Error(`${histogram} has no bucket le="${bucket.le}"`);
  }
  const count = delta(`${histogram}_count`);
  return { count, above: count - delta(`${histogram}_bucket`, bucket) };
}

/** Scrapes every 50 ms until the sum of `name{labels}` satisfies `predicate`; rejects after `timeoutMs`. */
export async function waitForMetric(
  url: string,
  name: string,
  labels: Record<string, string>,
  predicate: (value: number) => boolean,
  timeoutMs = 15_000,
): Promise<number> {
  const giveUpAt = performance.now() + timeoutMs;
  for (;;) {
    const value = total(await scrape(url), name, labels);
    if (predicate(value)) return value;
    if (performance.now() > giveUpAt) throw new Error(`${name} ${JSON.stringify(labels)} stayed at ${value}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

import type { Metric, Registry } from 'prom-client';

type Labels = Record<string, string | number>;
type Value = { labels: Labels; value: number; metricName?: string; sharedLabels?: Labels; exemplar?: null };

/** One label set's state: the counter's value, or the histogram's bucket counts, sum and count. */
type Series = { labels: Labels; counts: Float64Array; sum: number; count: number };

/**
 * A Prometheus counter or histogram whose label values are bound once: `bind(labels)` returns a function that only
 * adds (a histogram's also finds the bucket). prom-client hashes and validates the labels on every call, even
 * through `labels()`, several times a request. Registered on the given registries, it exposes what prom-client's
 * own counter and histogram would: the same names, label order, buckets (`le` first), `_sum` and `_count`.
 */
export class BoundMetric {
  readonly name: string;
  readonly help: string;
  readonly type: 'counter' | 'histogram';
  readonly aggregator = 'sum';
  readonly #bounds: readonly number[];
  readonly #series = new Map<string, Series>();

  constructor(options: {
    name: string;
    help: string;
    type: 'counter' | 'histogram';
    buckets?: readonly number[];
    registers: readonly Registry[];
  }) {
    this.name = options.name;
    this.help = options.help;
    this.type = options.type;
    this.#bounds = [...(options.buckets ?? [])].sort((a, b) => a - b);
    for (const registry of options.registers) registry.registerMetric(this as unknown as Metric);
  }

  /** The series of `labels` (created on first use, at 0), and a function adding `value` to it (1 by default). */
  bind(labels: Record<string, string>): (value?: number) => void {
    const key = JSON.stringify(labels);
    let series = this.#series.get(key);
    if (series === undefined) {
      series = { labels: { ...labels }, counts: new Float64Array(this.#bounds.length), sum: 0, count: 0 };
      this.#series.set(key, series);
    }
    const bound = series;
    if (this.type === 'counter') return (value = 1) => void (bound.sum += value);
    const bounds = this.#bounds;
    return (value = 0) => {
      let bucket = 0;
      while (bucket < bounds.length && value > bounds[bucket]!) bucket++;
      if (bucket < bounds.length) bound.counts[bucket]!++;
      bound.sum += value;
      bound.count++;
    };
  }

  /** What prom-client's registry reads for the text format. */
  getForPromString() {
    const values: Value[] = [];
    for (const series of this.#series.values()) {
      if (this.type === 'counter') {
        values.push({ labels: series.labels, value: series.sum });
        continue;
      }
      let cumulative = 0;
      this.#bounds.forEach((le, i) => {
        cumulative += series.counts[i]!;
        values.push(this.#value({ le }, cumulative, '_bucket', series.labels, null));
      });
      values.push(
        this.#value({ le: '+Inf' }, series.count, '_bucket', series.labels, null),
        this.#value({}, series.sum, '_sum', series.labels),
        this.#value({}, series.count, '_count', series.labels),
      );
    }
    return { name: this.name, help: this.help, type: this.type, values, aggregator: this.aggregator };
  }

  /** What the registry's JSON reads: the same values with every label on the value itself. */
  get() {
    const data = this.getForPromString();
    const values = data.values.map(({ sharedLabels, ...value }) => ({
      ...value,
      labels: { ...value.labels, ...sharedLabels },
    }));
    return { ...data, values };
  }

  /** Every series back to 0 (the registry's resetMetrics). */
  reset(): void {
    for (const series of this.#series.values()) {
      series.counts.fill(0);
      series.sum = 0;
      series.count = 0;
    }
  }

  /** One exported value, field for field as prom-client's histogram builds it (its JSON shows them all). */
  #value(labels: Labels, value: number, suffix: string, sharedLabels: Labels, exemplar?: null): Value {
    return { labels, sharedLabels, value, metricName: `${this.name}${suffix}`, exemplar };
  }
}

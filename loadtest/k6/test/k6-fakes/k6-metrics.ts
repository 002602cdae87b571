import { recorder, type Tags } from './recorder.ts';

class FakeMetric {
  readonly name: string;
  constructor(name: string, type: string) {
    if (recorder.metrics.has(name) && recorder.metrics.get(name)?.type !== type) {
      throw new Error(`metric ${name} created as ${recorder.metrics.get(name)?.type} and ${type}`);
    }
    this.name = name;
    if (!recorder.metrics.has(name)) recorder.metrics.set(name, { type, samples: [] });
  }
  add(value: number | boolean, tags?: Tags): void {
    recorder.metrics.get(this.name)?.samples.push({ value, tags });
  }
}

export class Rate extends FakeMetric {
  constructor(name: string) {
    super(name, 'rate');
  }
}
export class Trend extends FakeMetric {
  constructor(name: string) {
    super(name, 'trend');
  }
}
export class Counter extends FakeMetric {
  constructor(name: string) {
    super(name, 'counter');
  }
}
export class Gauge extends FakeMetric {
  constructor(name: string) {
    super(name, 'gauge');
  }
}

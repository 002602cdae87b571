import assert from 'node:assert/strict';
import { createHistogram } from 'node:perf_hooks';
import { test } from 'node:test';
import { EVENT_LOOP_PRESSURE, EventLoopPressure } from './event-loop-pressure.ts';

const { probeIntervalMs, windowMs, minSamples } = EVENT_LOOP_PRESSURE;

/** A clock moved by hand, and probes that come back when told to, after a given lag. */
function setup(limitMs = 100) {
  let now = 0;
  const out: (() => void)[] = [];
  const pressure = new EventLoopPressure(limitMs, {
    samples: createHistogram(),
    now: () => now,
    defer: (probe) => out.push(probe),
  });
  /** One request every `probeIntervalMs`, each seeing the loop busy for `lagMs` before its probe comes back. */
  const busy = (...lagsMs: number[]) => {
    for (const lagMs of lagsMs) {
      pressure.probe();
      now += lagMs;
      out.shift()?.();
      now += Math.max(0, probeIntervalMs - lagMs);
    }
  };
  return { pressure, busy, advance: (ms: number) => (now += ms), out };
}

test('a loop lagging past the limit through a window is saturated until a window says otherwise', () => {
  const { pressure, busy, advance } = setup();
  busy(...Array<number>(10).fill(150));
  assert.equal(pressure.saturated, true);
  busy(...Array<number>(4).fill(2));
  assert.equal(pressure.saturated, true, 'the verdict holds for a window');
  advance(windowMs);
  assert.equal(pressure.saturated, false);
});

test('one long pause in an otherwise healthy window is not saturation', () => {
  const { pressure, busy } = setup();
  busy(...Array<number>(9).fill(1), 400);
  busy(...Array<number>(2).fill(1));
  assert.equal(pressure.saturated, false);
});

test('too few probes say nothing, and lag under the limit is not past it', () => {
  const { pressure, busy, advance } = setup();
  busy(...Array<number>(minSamples - 1).fill(500));
  advance(windowMs);
  assert.equal(pressure.saturated, false);
  // The histogram keeps 3 significant digits: 99 ms reads as at most 99.1.
  busy(...Array<number>(10).fill(99));
  assert.equal(pressure.saturated, false);
  busy(...Array<number>(10).fill(101));
  assert.equal(pressure.saturated, true);
});

test('one probe at a time, and none sooner than the interval after the last', () => {
  const { pressure, advance, out } = setup();
  pressure.probe();
  pressure.probe();
  assert.equal(out.length, 1, 'a probe still out');
  out.shift()!();
  advance(probeIntervalMs - 1);
  pressure.probe();
  assert.equal(out.length, 0, 'too soon after the last');
  advance(1);
  pressure.probe();
  assert.equal(out.length, 1);
});

test('on the real loop: an idle gateway sends nothing, a blocked loop is measured and judged', async () => {
  const pressure = new EventLoopPressure(50);
  await new Promise((resolve) => setTimeout(resolve, windowMs + 10));
  assert.equal(pressure.saturated, false, 'no probes, no verdict of saturation');
  const block = (ms: number) => {
    const until = performance.now() + ms;
    while (performance.now() < until);
  };
  for (let i = 0; i < minSamples + 1; i++) {
    pressure.probe();
    block(110);
    await new Promise((resolve) => setImmediate(resolve));
  }
  assert.equal(pressure.saturated, true);
});

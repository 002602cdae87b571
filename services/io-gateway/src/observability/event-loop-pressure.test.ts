import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EVENT_LOOP_PRESSURE, EventLoopPressure } from './event-loop-pressure.ts';

const { resolutionMs, windowMs, minSamples } = EVENT_LOOP_PRESSURE;

/** Samples fed by hand (in ms of lag past the sampling interval), and a clock moved by hand. */
function setup(limitMs = 100) {
  let values: number[] = [];
  let now = 0;
  const samples = {
    get count() {
      return values.length;
    },
    percentile(p: number) {
      const sorted = [...values].sort((a, b) => a - b);
      return (sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]! + resolutionMs) * 1e6;
    },
    reset() {
      values = [];
    },
  };
  const pressure = new EventLoopPressure(limitMs, { samples, now: () => now });
  return {
    pressure,
    lag: (...ms: number[]) => values.push(...ms),
    advance: (ms: number) => (now += ms),
  };
}

test('a loop lagging past the limit through a window is saturated until a window says otherwise', () => {
  const { pressure, lag, advance } = setup();
  lag(...Array<number>(10).fill(150));
  assert.equal(pressure.saturated, false, 'no verdict before a window has passed');
  advance(windowMs);
  assert.equal(pressure.saturated, true);
  lag(...Array<number>(10).fill(2));
  advance(windowMs / 2);
  assert.equal(pressure.saturated, true, 'the verdict holds for a window');
  advance(windowMs / 2);
  assert.equal(pressure.saturated, false);
});

test('one long pause in an otherwise healthy window is not saturation', () => {
  const { pressure, lag, advance } = setup();
  lag(...Array<number>(9).fill(1), 400);
  advance(windowMs);
  assert.equal(pressure.saturated, false);
});

test('too few samples say nothing, and lag at the limit is not past it', () => {
  const { pressure, lag, advance } = setup();
  lag(...Array<number>(minSamples - 1).fill(500));
  advance(windowMs);
  assert.equal(pressure.saturated, false);
  lag(...Array<number>(10).fill(100));
  advance(windowMs);
  assert.equal(pressure.saturated, false);
  lag(...Array<number>(10).fill(101));
  advance(windowMs);
  assert.equal(pressure.saturated, true);
});

test('with the real monitor, an idle loop is not saturated', async () => {
  const pressure = new EventLoopPressure(100);
  await new Promise((resolve) => setTimeout(resolve, windowMs + 4 * resolutionMs));
  assert.equal(pressure.saturated, false);
  pressure.close();
});

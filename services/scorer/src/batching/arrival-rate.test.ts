import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ArrivalRate } from './arrival-rate.ts';

test('reads low load before any traffic, and the mean rate of steady arrivals', () => {
  const rate = new ArrivalRate({ maxGapMs: 1_000 });
  assert.ok(rate.rowsPerMs <= 0.001);
  for (let i = 0; i < 200; i++) rate.arrived(1, i * 0.5);
  assert.ok(Math.abs(rate.rowsPerMs - 2) < 0.01, String(rate.rowsPerMs));
});

test('counts rows, not requests', () => {
  const rate = new ArrivalRate();
  for (let i = 0; i < 200; i++) rate.arrived(4, i * 2);
  assert.ok(Math.abs(rate.rowsPerMs - 2) < 0.01, String(rate.rowsPerMs));
});

test('bursts read as their mean rate', () => {
  const rate = new ArrivalRate({ weight: 0.05 });
  let now = 0;
  // Eight rows 0.1 ms apart, then 7.3 ms of nothing: 8 rows per 8 ms.
  for (let burst = 0; burst < 100; burst++) {
    for (let i = 0; i < 8; i++) rate.arrived(1, (now += i === 0 ? 7.3 : 0.1));
  }
  assert.ok(rate.rowsPerMs > 0.7 && rate.rowsPerMs < 1.4, String(rate.rowsPerMs));
});

test('an idle spell is forgotten after a few arrivals', () => {
  const rate = new ArrivalRate({ weight: 0.1, maxGapMs: 100 });
  rate.arrived(1, 0);
  rate.arrived(1, 60_000);
  assert.ok(rate.rowsPerMs >= 0.01);
  for (let i = 1; i <= 40; i++) rate.arrived(1, 60_000 + i * 0.1);
  assert.ok(rate.rowsPerMs > 0.5, String(rate.rowsPerMs));
});

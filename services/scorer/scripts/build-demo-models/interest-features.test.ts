import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FEATURE_NAMES } from './interest-feature-layout.ts';
import { computeInterestFeatures } from './interest-features.ts';

function close(actual: number | undefined, expected: number, name: string): void {
  assert.ok(actual !== undefined && Math.abs(actual - expected) < 1e-6, `${name}: ${actual} ≠ ${expected}`);
}

await test('computeInterestFeatures fills exactly the documented slots', () => {
  const features = computeInterestFeatures({
    declaredInterests: ['music', 'pets', 'not-a-category'],
    ageBucket: '35-44',
    daysSinceSignup: 99,
    sessionsPerWeek: 3,
    premium: true,
    device: 'tablet',
    region: 'asia',
    events: [
      { category: 'tech', ageDays: 0 },
      { category: 'tech', ageDays: 7 },
      // Outside the 30-day count window, but still part of the recency sum.
      { category: 'tech', ageDays: 45 },
      { category: 'food', ageDays: -2 },
      { category: 'unknown', ageDays: 1 },
    ],
  });
  const expected = new Map<string, number>([
    ['events_30d.tech', Math.log1p(2)],
    ['events_30d.food', Math.log1p(1)],
    ['recency.tech', Math.log1p(1 + Math.exp(-1) + Math.exp(-45 / 7))],
    ['recency.food', Math.log1p(1)],
    ['declared.music', 1],
    ['declared.pets', 1],
    ['age.35-44', 1],
    ['days_since_signup_log', Math.log1p(99) / 10],
    ['sessions_per_week_log', Math.log1p(3) / 5],
    ['is_premium', 1],
    ['device.tablet', 1],
    ['region.asia', 1],
  ]);
  assert.equal(features.length, 64);
  FEATURE_NAMES.forEach((name, i) => close(features[i], expected.get(name) ?? 0, name));
  assert.equal(FEATURE_NAMES.indexOf('age.18-24'), 48);
  assert.equal(FEATURE_NAMES.indexOf('days_since_signup_log'), 54);
  assert.equal(FEATURE_NAMES.indexOf('region.other'), 63);
});

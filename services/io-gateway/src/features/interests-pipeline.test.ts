import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { computeInterestFeatures } from '../../../scorer/scripts/build-demo-models/interest-features.ts';
import type { UserProfile } from '../../../scorer/scripts/build-demo-models/interest-features.ts';
import { createSeededRandom } from '@splitserve/demo-domain';
import { generateSyntheticUsers } from '../../../scorer/scripts/build-demo-models/synthetic-users.ts';
import { compileFeatures } from './feature-vector.ts';
import { loadPipeline } from './load-pipeline.ts';

const DEMO = fileURLToPath(new URL('../../pipelines/interests.yaml', import.meta.url));
const build = compileFeatures(await loadPipeline(DEMO, {}));

/** The two bodies the mock services would send for this profile, through JSON as over HTTP. */
function rawSources(entityId: string, profile: UserProfile): Record<string, unknown> {
  const { events, ...fields } = profile;
  return JSON.parse(JSON.stringify({ profile: { entityId, ...fields }, events: { entityId, events } })) as Record<
    string,
    unknown
  >;
}

/** Column index of the first difference beyond 1e-6, or -1. */
function firstDifference(actual: Float32Array, expected: Float32Array): number {
  if (actual.length !== expected.length) return 0;
  for (let c = 0; c < expected.length; c++) {
    if (!(Math.abs((actual[c] ?? NaN) - (expected[c] ?? NaN)) <= 1e-6)) return c;
  }
  return -1;
}

function assertMatchesReference(entityId: string, profile: UserProfile): void {
  const actual = build(rawSources(entityId, profile));
  const expected = computeInterestFeatures(profile);
  const column = firstDifference(actual, expected);
  assert.equal(column, -1, `${entityId} column ${column}: ${actual[column]} ≠ ${expected[column]}`);
}

await test('the demo pipeline equals computeInterestFeatures for 3000 synthetic users, column by column', () => {
  const users = generateSyntheticUsers(createSeededRandom(20_240_611), 3000);
  users.forEach((user, index) => assertMatchesReference(`u-${index}`, user.profile));
});

await test('the demo pipeline equals the reference on the edges it documents', () => {
  const base: UserProfile = {
    declaredInterests: ['music', 'travel'],
    ageBucket: '25-34',
    daysSinceSignup: 412,
    sessionsPerWeek: 5.5,
    premium: false,
    device: 'mobile',
    region: 'europe',
    events: [{ category: 'music', ageDays: 1.5 }],
  };
  assertMatchesReference('u-42', base);
  assertMatchesReference('negative-ages', {
    ...base,
    events: [
      { category: 'tech', ageDays: -2 },
      { category: 'tech', ageDays: 30 },
      { category: 'food', ageDays: 45 },
    ],
  });
  assertMatchesReference('unknown-vocabulary', {
    ...base,
    declaredInterests: ['music', 'knitting'],
    ageBucket: '12-17',
    device: 'watch',
    region: 'mars',
    events: [{ category: 'knitting', ageDays: 1 }],
  });
  assertMatchesReference('empty', {
    ...base,
    declaredInterests: [],
    daysSinceSignup: 0,
    sessionsPerWeek: 0,
    events: [],
  });
  assertMatchesReference('premium', { ...base, premium: true, daysSinceSignup: -4 });
});

await test('a failed optional events source (its defaults) zeroes exactly the event columns', () => {
  const raw = rawSources('u-1', {
    declaredInterests: ['pets'],
    ageBucket: '65+',
    daysSinceSignup: 9,
    sessionsPerWeek: 1,
    premium: true,
    device: 'tablet',
    region: 'asia',
    events: [{ category: 'pets', ageDays: 2 }],
  });
  const full = build(raw);
  const degraded = build({ ...raw, events: { events: [] } });
  for (let c = 0; c < 64; c++) {
    if (c < 32) assert.equal(degraded[c], 0);
    else assert.equal(degraded[c], full[c]);
  }
});

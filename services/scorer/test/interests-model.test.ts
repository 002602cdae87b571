import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { dominantCategory } from '../scripts/build-demo-models/dominant-category.ts';
import { computeInterestFeatures, type UserProfile } from '../scripts/build-demo-models/interest-features.ts';
import { INTEREST_LABELS } from '../scripts/build-demo-models/interest-feature-layout.ts';
import { createSeededRandom } from '@splitserve/demo-domain';
import { generateSyntheticUsers } from '../scripts/build-demo-models/synthetic-users.ts';
import { inferJson } from './oip-client.ts';
import { startScorer, type RunningScorer } from './scorer-process.ts';

let scorer: RunningScorer;
before(async () => {
  scorer = await startScorer();
});
after(() => scorer.stop());

async function topInterest(users: readonly UserProfile[]): Promise<string[]> {
  const rows = users.map((user) => Array.from(computeInterestFeatures(user)));
  const { status, body } = await inferJson(scorer.url, 'interests', {
    inputs: [{ name: 'features', shape: [rows.length, 64], datatype: 'FP32', data: rows }],
  });
  assert.equal(status, 200, JSON.stringify(body));
  const scores = (body['outputs'] as { data: number[] }[])[0]!.data;
  return users.map((_, row) => {
    const own = scores.slice(row * 16, row * 16 + 16);
    return INTEREST_LABELS[own.indexOf(Math.max(...own))]!;
  });
}

test('a user whose recent events are mostly music gets music first, whatever they declared', async () => {
  const musicFan: UserProfile = {
    declaredInterests: ['travel'],
    ageBucket: '25-34',
    daysSinceSignup: 400,
    sessionsPerWeek: 5,
    premium: false,
    device: 'mobile',
    region: 'europe',
    events: [
      ...Array.from({ length: 12 }, (_, i) => ({ category: 'music', ageDays: i })),
      { category: 'food', ageDays: 3 },
      { category: 'travel', ageDays: 20 },
    ],
  };
  assert.deepEqual(await topInterest([musicFan]), ['music']);
});

test('fresh synthetic users: the dominant recent category is ranked first for at least 95% of them', async () => {
  // A seed the training script never used, so these users are new to the model.
  const users = generateSyntheticUsers(createSeededRandom(20_261_121), 1_200)
    .map((user) => ({ profile: user.profile, dominant: dominantCategory(user.profile.events) }))
    .filter((user) => user.dominant !== undefined);
  assert.ok(users.length > 200, `only ${users.length} users have a dominant category`);
  let hits = 0;
  for (let start = 0; start < users.length; start += 64) {
    const chunk = users.slice(start, start + 64);
    const top = await topInterest(chunk.map((user) => user.profile));
    chunk.forEach((user, i) => {
      if (top[i] === INTEREST_LABELS[user.dominant!]) hits++;
    });
  }
  const share = hits / users.length;
  assert.ok(share >= 0.95, `dominant category first for ${(share * 100).toFixed(1)}% of ${users.length} users`);
});

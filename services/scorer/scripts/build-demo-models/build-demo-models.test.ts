import assert from 'node:assert/strict';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import * as ort from 'onnxruntime-node';
import { buildDemoModels } from './build-demo-models.ts';
import { dominantCategory } from './dominant-category.ts';
import { HEAVY_PROFILES, buildHeavyModel } from './interests-heavy-model.ts';
import { FEATURE_COUNT, INTEREST_LABELS } from './interest-feature-layout.ts';
import { computeInterestFeatures } from './interest-features.ts';
import type { UserProfile } from './interest-features.ts';
import { SINGLE_THREAD_SESSION_OPTIONS } from './measure-model.ts';
import { createSeededRandom } from '@splitserve/demo-domain';
import { generateSyntheticUsers } from './synthetic-users.ts';
import { TOPIC_LABELS, VOCAB_SIZE, tokenTopic } from './text-topics-model.ts';

const committedRepository = fileURLToPath(new URL('../../model-repository', import.meta.url));

async function relativeFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)))
    .sort();
}

function openModel(repository: string, name: string): Promise<ort.InferenceSession> {
  return ort.InferenceSession.create(path.join(repository, name, '1', 'model.onnx'), SINGLE_THREAD_SESSION_OPTIONS);
}

function featureTensor(rows: readonly Float32Array[]): ort.Tensor {
  const data = new Float32Array(rows.length * FEATURE_COUNT);
  rows.forEach((row, i) => data.set(row, i * FEATURE_COUNT));
  return new ort.Tensor('float32', data, [rows.length, FEATURE_COUNT]);
}

function topIndex(scores: Float32Array, row: number, width: number): number {
  let best = 0;
  for (let c = 1; c < width; c++) if ((scores[row * width + c] ?? 0) > (scores[row * width + best] ?? 0)) best = c;
  return best;
}

async function rebuildIsByteIdentical(repository: string): Promise<void> {
  const committed = await relativeFiles(committedRepository);
  assert.deepEqual(await relativeFiles(repository), committed);
  for (const file of committed) {
    const [built, expected] = await Promise.all([
      readFile(path.join(repository, file)),
      readFile(path.join(committedRepository, file)),
    ]);
    assert.ok(built.equals(expected), `${file} differs: rerun build-demo-models/main.ts and commit the result`);
  }
}

async function modelsHaveDeclaredSignatures(repository: string): Promise<void> {
  const expected = {
    interests: { inputs: [['features', 'float32', ['batch', 64]]], outputs: [['scores', 'float32', ['batch', 16]]] },
    'interests-heavy': {
      inputs: [['features', 'float32', ['batch', 64]]],
      outputs: [['scores', 'float32', ['batch', 16]]],
    },
    'text-topics': {
      inputs: [['token_ids', 'int64', ['batch', 'sequence']]],
      outputs: [
        ['probabilities', 'float32', ['batch', 8]],
        ['topic', 'int64', ['batch']],
      ],
    },
  };
  for (const [name, signature] of Object.entries(expected)) {
    const session = await openModel(repository, name);
    const describe = (values: readonly ort.InferenceSession.ValueMetadata[]): unknown[] =>
      values.map((value) => (value.isTensor ? [value.name, value.type, value.shape] : [value.name]));
    assert.deepEqual(describe(session.inputMetadata), signature.inputs, name);
    assert.deepEqual(describe(session.outputMetadata), signature.outputs, name);
    await session.release();
  }
}

async function interestsRanksDominantCategoryFirst(repository: string): Promise<void> {
  const users = generateSyntheticUsers(createSeededRandom(0xf00d), 3000).filter(
    (user) => dominantCategory(user.profile.events) !== undefined,
  );
  const session = await openModel(repository, 'interests');
  const features = featureTensor(users.map((user) => computeInterestFeatures(user.profile)));
  const { scores } = await session.run({ features });
  await session.release();
  assert.ok(scores);
  assert.deepEqual(scores.dims, [users.length, INTEREST_LABELS.length]);
  const data = scores.data as Float32Array;
  const hits = users.filter(
    (user, i) => topIndex(data, i, INTEREST_LABELS.length) === dominantCategory(user.profile.events),
  );
  const accuracy = hits.length / users.length;
  assert.ok(users.length > 500, `only ${users.length} users with a dominant category`);
  assert.ok(accuracy >= 0.95, `dominant category ranked first for ${(accuracy * 100).toFixed(1)}%`);
  assert.ok(data.every((p) => p > 0 && p < 1));
}

async function interestsRanksHandWrittenMusicFan(repository: string): Promise<void> {
  const user: UserProfile = {
    declaredInterests: ['travel'],
    ageBucket: '25-34',
    daysSinceSignup: 400,
    sessionsPerWeek: 5,
    premium: false,
    device: 'mobile',
    region: 'europe',
    events: [
      ...Array.from({ length: 8 }, (_, i) => ({ category: 'music', ageDays: i * 3 })),
      { category: 'movies', ageDays: 2 },
      { category: 'food', ageDays: 10 },
    ],
  };
  const session = await openModel(repository, 'interests');
  const { scores } = await session.run({ features: featureTensor([computeInterestFeatures(user)]) });
  await session.release();
  assert.equal(INTEREST_LABELS[topIndex(scores?.data as Float32Array, 0, INTEREST_LABELS.length)], 'music');
}

async function heavyIsSmallButCostly(repository: string): Promise<void> {
  const model = await readFile(path.join(repository, 'interests-heavy', '1', 'model.onnx'));
  assert.ok(model.length < 2 * 2 ** 20, `${model.length} bytes`);
  const session = await openModel(repository, 'interests-heavy');
  const rows = Array.from({ length: 4 }, (_, i) => new Float32Array(FEATURE_COUNT).fill(i / 4));
  const { scores } = await session.run({ features: featureTensor(rows) });
  assert.deepEqual(scores?.dims, [4, INTEREST_LABELS.length]);
  assert.ok((scores?.data as Float32Array).every((p) => p >= 0 && p <= 1));
  // Only a lower bound: a busy machine makes it slower, never faster.
  const single = { features: featureTensor([rows[0] ?? new Float32Array(FEATURE_COUNT)]) };
  const startMs = performance.now();
  await session.run(single);
  assert.ok(performance.now() - startMs > 5, 'a batch-1 run of the 30 ms profile took under 5 ms');
  await session.release();

  const lightModel = buildHeavyModel(HEAVY_PROFILES.light3Ms);
  const light = await ort.InferenceSession.create(lightModel, SINGLE_THREAD_SESSION_OPTIONS);
  assert.deepEqual((await light.run(single)).scores?.dims, [1, INTEREST_LABELS.length]);
  await light.release();
}

async function textTopicsFollowsPluralityRule(repository: string): Promise<void> {
  const random = createSeededRandom(0x70b1c);
  const topicCount = TOPIC_LABELS.length;
  const rowCount = 300;
  const sequenceLength = 24;
  const tokenFromTopic = (topic: number): number =>
    1 + topic + topicCount * random.int((VOCAB_SIZE - 1 - topic) / topicCount);
  const ids = new BigInt64Array(rowCount * sequenceLength);
  const expected: number[] = [];
  for (let row = 0; row < rowCount; row++) {
    // Row 0 is all padding; the rest mix a favourite topic with noise and trailing padding of random length.
    const length = row === 0 ? 0 : 1 + random.int(sequenceLength);
    const favourite = random.int(topicCount);
    const counts = new Array<number>(topicCount).fill(0);
    for (let i = 0; i < length; i++) {
      const token = tokenFromTopic(random.bernoulli(0.6) ? favourite : random.int(topicCount));
      counts[tokenTopic(token)] = (counts[tokenTopic(token)] ?? 0) + 1;
      ids[row * sequenceLength + i] = BigInt(token);
    }
    expected.push(counts.indexOf(Math.max(...counts)));
  }
  const session = await openModel(repository, 'text-topics');
  const tokenIds = new ort.Tensor('int64', ids, [rowCount, sequenceLength]);
  const { probabilities, topic } = await session.run({ token_ids: tokenIds });
  await session.release();
  assert.ok(probabilities && topic);
  assert.deepEqual(probabilities.dims, [rowCount, topicCount]);
  assert.deepEqual(topic.dims, [rowCount]);
  assert.deepEqual(Array.from(topic.data as BigInt64Array, Number), expected);
  const probs = probabilities.data as Float32Array;
  for (let row = 0; row < rowCount; row++) {
    const sum = probs.subarray(row * topicCount, (row + 1) * topicCount).reduce((a, b) => a + b, 0);
    assert.ok(Math.abs(sum - 1) < 1e-5, `row ${row} probabilities sum to ${sum}`);
  }
  assert.ok(
    probs.subarray(0, topicCount).every((p) => Math.abs(p - 1 / topicCount) < 1e-6),
    'all-padding row',
  );
}

async function textTopicsIsConfidentOnOneTopic(repository: string): Promise<void> {
  const session = await openModel(repository, 'text-topics');
  const tokens = [5, 13, 21, 29, 0, 0].map(BigInt);
  const tokenIds = new ort.Tensor('int64', BigInt64Array.from(tokens), [1, tokens.length]);
  const { probabilities, topic } = await session.run({ token_ids: tokenIds });
  await session.release();
  assert.equal(Number((topic?.data as BigInt64Array)[0]), tokenTopic(5));
  assert.ok(((probabilities?.data as Float32Array)[tokenTopic(5)] ?? 0) > 0.85);
}

const CHECKS: readonly [string, (repository: string) => Promise<void>][] = [
  ['a rebuild is byte-identical to the committed model repository', rebuildIsByteIdentical],
  ['every model loads with its declared signature', modelsHaveDeclaredSignatures],
  ['interests ranks the dominant recent category first for fresh synthetic users', interestsRanksDominantCategoryFirst],
  ['interests ranks music first for a hand-written music fan who declared travel', interestsRanksHandWrittenMusicFan],
  ['interests-heavy stays small, runs batches and costs real CPU per row', heavyIsSmallButCostly],
  ['text-topics returns the plurality topic of the non-padding tokens', textTopicsFollowsPluralityRule],
  ['text-topics is confident on a single-topic text', textTopicsIsConfidentOnOneTopic],
];

// One parent test: the checks share the freshly built repository, so they run after the build and before cleanup.
await test('build-demo-models', async (t) => {
  const repository = await mkdtemp(path.join(os.tmpdir(), 'demo-models-'));
  t.after(() => rm(repository, { recursive: true, force: true }));
  await buildDemoModels(repository);
  for (const [name, check] of CHECKS) await t.test(name, () => check(repository));
});

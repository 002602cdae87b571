import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LOG_FLOOR } from './column-scaling.ts';
import { compileFeatureRowWriter, compileFeatures, isJsonObject } from './feature-vector.ts';
import type { FeatureVectorBuilder } from './feature-vector.ts';
import { parsePipeline } from './load-pipeline.ts';

/** A builder for `features` over one source `s`, so each case states only what it is about. */
function builderFor(...features: Record<string, unknown>[]): FeatureVectorBuilder {
  const pipeline = parsePipeline(
    {
      name: 'test',
      scorer: { model: 'test', input: 'x', output: 'y' },
      sources: { s: { baseUrl: 'http://127.0.0.1:1', path: '/{entityId}' } },
      features: features.map((feature, index) => ({ name: `f${index}`, source: 's', ...feature })),
    },
    {},
    'test',
  );
  return compileFeatures(pipeline);
}

function row(build: FeatureVectorBuilder, body: unknown): number[] {
  return [...build({ s: body })];
}

function assertClose(actual: readonly number[], expected: readonly number[]): void {
  assert.equal(actual.length, expected.length);
  actual.forEach((value, index) => {
    const want = expected[index] ?? NaN;
    assert.ok(Math.abs(value - want) <= 1e-6 * Math.max(1, Math.abs(want)), `[${index}] ${value} ≠ ${want}`);
  });
}

await test('number: numbers pass, booleans become 1/0, anything else gives the default', () => {
  const build = builderFor({ kind: 'number', field: 'x' }, { kind: 'number', field: 'x', default: -1 });
  assert.deepEqual(row(build, { x: 2.5 }), [2.5, 2.5]);
  assert.deepEqual(row(build, { x: true }), [1, 1]);
  assert.deepEqual(row(build, { x: false }), [0, 0]);
  for (const [index, garbage] of ['5', '', null, undefined, {}, [3], NaN, Infinity, -Infinity, 10n].entries()) {
    assert.deepEqual(row(build, { x: garbage }), [0, -1], `garbage #${index}`);
  }
  assert.deepEqual(row(build, {}), [0, -1]);
  assert.deepEqual(row(build, null), [0, -1]);
  assert.deepEqual(row(build, 'not an object'), [0, -1]);
});

await test('number: dot paths reach nested fields and stop at non-objects', () => {
  const build = builderFor({ kind: 'number', field: 'stats.week.sessions', default: 9 });
  assert.deepEqual(row(build, { stats: { week: { sessions: 4 } } }), [4]);
  assert.deepEqual(row(build, { stats: { week: 4 } }), [9]);
  assert.deepEqual(row(build, { stats: 'week' }), [9]);
  assert.deepEqual(row(build, { stats: null }), [9]);
  assert.deepEqual(row(builderFor({ kind: 'number', field: 'a.b' }), { a: { b: 3 } }), [3]);
});

await test('number: transform, then scale, then clip, then float32', () => {
  const log1p = builderFor({ kind: 'number', field: 'x', transform: 'log1p', scale: 0.1 });
  assertClose(row(log1p, { x: 412 }), [Math.log1p(412) / 10]);
  assert.deepEqual(row(log1p, { x: -5 }), [0]);
  const log = builderFor({ kind: 'number', field: 'x', transform: 'log' });
  assertClose(row(log, { x: Math.E }), [1]);
  assertClose(row(log, { x: 0 }), [Math.log(LOG_FLOOR)]);
  assertClose(row(log, { x: -3 }), [Math.log(LOG_FLOOR)]);
  const clipped = builderFor({ kind: 'number', field: 'x', scale: 2, clip: [0, 10] });
  assert.deepEqual([row(clipped, { x: -1 }), row(clipped, { x: 3 }), row(clipped, { x: 6 })], [[0], [6], [10]]);
  // Finite, but beyond float32 after scaling: the default, unless a clip brings it back in range.
  const huge = builderFor({ kind: 'number', field: 'x', scale: 10, default: 7 });
  assert.deepEqual(row(huge, { x: 1e308 }), [7]);
  assert.deepEqual(row(huge, { x: 1e38 }), [7]);
  assert.deepEqual(row(builderFor({ kind: 'number', field: 'x', clip: [-1, 1] }), { x: 1e308 }), [1]);
  assert.deepEqual(row(builderFor({ kind: 'number', field: 'x', clip: [-1, 1] }), { x: Infinity }), [0]);
});

await test('one_hot: the known string sets its column; anything else writes the default everywhere', () => {
  const build = builderFor({ kind: 'one_hot', field: 'c', categories: ['a', 'b', 'c'] });
  assert.deepEqual(row(build, { c: 'b' }), [0, 1, 0]);
  for (const garbage of ['d', 'B', '', 1, null, ['a'], { a: 1 }, undefined, 'constructor', '__proto__']) {
    assert.deepEqual(row(build, { c: garbage }), [0, 0, 0], `c = ${JSON.stringify(garbage)}`);
  }
  const withDefault = builderFor({ kind: 'one_hot', field: 'c', categories: ['a', 'b'], default: 0.5 });
  assert.deepEqual(row(withDefault, { c: 'a' }), [1, 0]);
  assert.deepEqual(row(withDefault, { c: 'z' }), [0.5, 0.5]);
});

await test('multi_hot: every known string in the array sets its column once; a non-array gives the default', () => {
  const build = builderFor({ kind: 'multi_hot', field: 'tags', categories: ['a', 'b', 'c'], default: 0.25 });
  assert.deepEqual(row(build, { tags: ['c', 'a', 'a', 'zzz', 3, null, { a: 1 }, ['b']] }), [1, 0, 1]);
  assert.deepEqual(row(build, { tags: [] }), [0, 0, 0]);
  for (const garbage of ['a', 1, null, { 0: 'a', length: 1 }, undefined]) {
    assert.deepEqual(row(build, { tags: garbage }), [0.25, 0.25, 0.25], `tags = ${JSON.stringify(garbage)}`);
  }
  // eslint-disable-next-line no-sparse-arrays -- holes must read as missing elements
  assert.deepEqual(row(build, { tags: [, 'b'] }), [0, 1, 0]);
});

const COUNTS = {
  kind: 'category_counts',
  field: 'events',
  categoryField: 'category',
  ageField: 'ageDays',
  windowDays: 30,
  categories: ['a', 'b'],
};

await test('category_counts: elements younger than the window, missing or negative ages counting as 0', () => {
  const build = builderFor(COUNTS);
  const events = [
    { category: 'a', ageDays: 0 },
    { category: 'a', ageDays: 29.99 },
    { category: 'a', ageDays: 30 },
    { category: 'a', ageDays: 400 },
    { category: 'a', ageDays: Infinity },
    { category: 'b', ageDays: -3 },
    { category: 'b' },
    { category: 'b', ageDays: '100' },
    { category: 'b', ageDays: NaN },
    { category: 'c', ageDays: 1 },
    { category: 7, ageDays: 1 },
    { ageDays: 1 },
    'a',
    null,
    ['a'],
  ];
  assert.deepEqual(row(build, { events }), [2, 4]);
  assert.deepEqual(row(build, { events: [] }), [0, 0]);
  for (const garbage of [null, 'a', { category: 'a' }, 3, undefined]) {
    assert.deepEqual(row(build, { events: garbage }), [0, 0]);
  }
  const withDefault = builderFor({ ...COUNTS, default: -1, transform: 'log1p' });
  assert.deepEqual(row(withDefault, { events: 'nope' }), [-1, -1]);
  assertClose(row(withDefault, { events: events.slice(0, 3) }), [Math.log1p(2), 0]);
});

await test('category_counts: without a window every element counts, and category paths may be nested', () => {
  const build = builderFor({
    kind: 'category_counts',
    field: 'data.items',
    categoryField: 'meta.kind',
    categories: ['x', 'y'],
  });
  const items = [
    { meta: { kind: 'x' } },
    { meta: { kind: 'x' }, ageDays: 1e6 },
    { meta: 'x' },
    { meta: { kind: 'y' } },
  ];
  assert.deepEqual(row(build, { data: { items } }), [2, 1]);
});

await test('recency_weighted_counts: Σ exp(-max(age, 0) / decayDays) per category', () => {
  const build = builderFor({
    kind: 'recency_weighted_counts',
    field: 'events',
    categoryField: 'category',
    ageField: 'ageDays',
    decayDays: 7,
    categories: ['a', 'b', 'c'],
  });
  const events = [
    { category: 'a', ageDays: 0 },
    { category: 'a', ageDays: 7 },
    { category: 'a', ageDays: 45 },
    { category: 'b', ageDays: -2 },
    { category: 'b', ageDays: Infinity },
    { category: 'b', ageDays: null },
    { category: 'd', ageDays: 0 },
  ];
  assertClose(row(build, { events }), [1 + Math.exp(-1) + Math.exp(-45 / 7), 2, 0]);
  assert.deepEqual(row(build, { events: {} }), [0, 0, 0]);
});

await test('features fill consecutive columns in declaration order; missing sources give defaults', () => {
  const build = builderFor(
    { kind: 'number', field: 'n', default: 3 },
    { kind: 'one_hot', field: 'c', categories: ['a', 'b'] },
    { kind: 'multi_hot', field: 't', categories: ['a', 'b'] },
  );
  assert.deepEqual(row(build, { n: 1, c: 'b', t: ['a'] }), [1, 0, 1, 1, 0]);
  assert.deepEqual([...build({})], [3, 0, 0, 0, 0]);
  assert.deepEqual([...build({ other: { n: 1 } })], [3, 0, 0, 0, 0]);
});

await test('the row writer fills rows of a batch tensor in place, equal to single vectors', () => {
  const features = [
    { kind: 'number', field: 'n' },
    { kind: 'one_hot', field: 'c', categories: ['a', 'b'] },
  ];
  const pipeline = parsePipeline(
    {
      name: 'test',
      scorer: { model: 'test', input: 'x', output: 'y' },
      sources: { s: { baseUrl: 'http://127.0.0.1:1', path: '/{entityId}' } },
      features: features.map((feature, index) => ({ name: `f${index}`, source: 's', ...feature })),
    },
    {},
    'test',
  );
  const writeRow = compileFeatureRowWriter(pipeline);
  const build = compileFeatures(pipeline);
  const bodies = [{ n: 1, c: 'a' }, { n: 2, c: 'b' }, {}];
  const batch = new Float32Array(bodies.length * pipeline.width);
  bodies.forEach((body, index) => writeRow({ s: body }, batch, index * pipeline.width));
  assert.deepEqual(
    [...batch],
    bodies.flatMap((body) => [...build({ s: body })]),
  );
  assert.deepEqual([...batch], [1, 1, 0, 2, 0, 1, 0, 0, 0]);
});

await test('isJsonObject accepts only objects, so other bodies can count as failed fetches', () => {
  assert.equal(isJsonObject({}), true);
  assert.equal(isJsonObject({ events: [] }), true);
  for (const body of [null, undefined, [], [{}], 'x', 0, true]) assert.equal(isJsonObject(body), false);
});

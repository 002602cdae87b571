import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { compileFeatures } from './feature-vector.ts';
import type { FeatureVectorBuilder } from './feature-vector.ts';
import { loadPipeline, parsePipeline } from './load-pipeline.ts';

const DEMO = fileURLToPath(new URL('../../pipelines/interests.yaml', import.meta.url));
const CATEGORIES = ['sports', 'music', 'travel'];

/** Every kind and transform, with non-zero defaults and scales that can overflow float32. */
const everyKind = parsePipeline(
  {
    name: 'every-kind',
    scorer: { model: 'every-kind', input: 'x', output: 'y' },
    sources: {
      profile: { baseUrl: 'http://127.0.0.1:1', path: '/p/{entityId}' },
      events: { baseUrl: 'http://127.0.0.1:2', path: '/e/{entityId}', required: false, defaults: { events: [] } },
    },
    features: [
      { name: 'plain', kind: 'number', source: 'profile', field: 'n' },
      { name: 'logged', kind: 'number', source: 'profile', field: 'n', transform: 'log', scale: 1e30, default: 2 },
      { name: 'log1p', kind: 'number', source: 'profile', field: 'deep.n', transform: 'log1p', scale: -3e38 },
      { name: 'clipped', kind: 'number', source: 'profile', field: 'n', scale: 1e300, clip: [-5, 5] },
      { name: 'one', kind: 'one_hot', source: 'profile', field: 'c', categories: CATEGORIES, default: -1 },
      { name: 'many', kind: 'multi_hot', source: 'profile', field: 'tags', categories: CATEGORIES, default: 0.5 },
      {
        name: 'counts',
        kind: 'category_counts',
        source: 'events',
        field: 'events',
        categoryField: 'category',
        ageField: 'ageDays',
        windowDays: 30,
        categories: CATEGORIES,
        transform: 'log',
      },
      {
        name: 'recency',
        kind: 'recency_weighted_counts',
        source: 'events',
        field: 'events',
        categoryField: 'category',
        ageField: 'ageDays',
        decayDays: 1e-9,
        categories: CATEGORIES,
        scale: 1e38,
      },
    ],
  },
  {},
  'every-kind',
);

/** Values shaped like real bodies, with garbage mixed in at every level. */
const garbage = fc.oneof(fc.anything(), fc.double(), fc.constantFrom(NaN, Infinity, -Infinity, -0, 1e308, -1e308));
const category = fc.oneof(fc.constantFrom(...CATEGORIES, 'unknown', 'constructor', '__proto__'), garbage);
const event = fc.oneof(fc.record({ category, ageDays: fc.oneof(fc.double(), garbage) }, { requiredKeys: [] }), garbage);
const nearMiss = fc.record(
  {
    profile: fc.oneof(
      fc.record(
        {
          n: fc.oneof(fc.double(), fc.boolean(), garbage),
          deep: fc.oneof(fc.record({ n: fc.oneof(fc.double(), garbage) }), garbage),
          c: category,
          tags: fc.oneof(fc.array(category), garbage),
          declaredInterests: fc.oneof(fc.array(category), garbage),
          daysSinceSignup: fc.oneof(fc.double(), garbage),
          premium: fc.oneof(fc.boolean(), garbage),
        },
        { requiredKeys: [] },
      ),
      garbage,
    ),
    events: fc.oneof(fc.record({ events: fc.oneof(fc.array(event, { maxLength: 40 }), garbage) }), garbage),
  },
  { requiredKeys: [] },
);

function assertSaneRows(build: FeatureVectorBuilder, width: number, raw: unknown): void {
  const vector = build(raw as Record<string, unknown>);
  assert.equal(vector.length, width);
  for (const value of vector) assert.ok(Number.isFinite(value), `non-finite column in ${String(vector)}`);
}

const demo = await loadPipeline(DEMO, {});
const builders = [
  ['every kind', compileFeatures(everyKind), everyKind.width],
  ['the demo', compileFeatures(demo), demo.width],
] as const;

for (const [name, build, width] of builders) {
  await test(`${name}: any value at all never throws and never yields NaN or ±Infinity`, () => {
    fc.assert(
      fc.property(fc.oneof(fc.anything(), fc.record({ profile: fc.anything(), events: fc.anything() })), (raw) =>
        assertSaneRows(build, width, raw),
      ),
      { numRuns: 300 },
    );
  });

  await test(`${name}: any JSON value never throws and never yields NaN or ±Infinity`, () => {
    fc.assert(
      fc.property(fc.record({ profile: fc.jsonValue(), events: fc.jsonValue() }), (raw) =>
        assertSaneRows(build, width, raw),
      ),
      { numRuns: 300 },
    );
  });

  await test(`${name}: near-miss bodies never throw and never yield NaN or ±Infinity`, () => {
    fc.assert(
      fc.property(nearMiss, (raw) => assertSaneRows(build, width, raw)),
      { numRuns: 500 },
    );
  });
}

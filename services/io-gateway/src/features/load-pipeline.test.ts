import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { TestContext } from 'node:test';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { FEATURE_NAMES } from '../../../scorer/scripts/build-demo-models/interest-feature-layout.ts';
import { loadPipeline, parsePipeline } from './load-pipeline.ts';

const DEMO = fileURLToPath(new URL('../../pipelines/interests.yaml', import.meta.url));

/** A temporary directory removed when the test ends, and a writer of files into it. */
async function scratch(t: TestContext): Promise<(name: string, content: string) => Promise<string>> {
  const directory = await mkdtemp(join(tmpdir(), 'pipeline-test-'));
  t.after(() => rm(directory, { recursive: true, force: true }));
  return async (name, content) => {
    const path = join(directory, name);
    await writeFile(path, content);
    return path;
  };
}

async function assertRejectsStartingWith(loading: Promise<unknown>, start: string): Promise<void> {
  await assert.rejects(loading, (error: Error) => {
    assert.ok(error.message.startsWith(start), `expected to start with "${start}":\n${error.message}`);
    return true;
  });
}

type Key = string | number;
/** One change to a document: the value at `path` replaced, or removed with {@link REMOVE}. */
type Edit = readonly [path: readonly Key[], value: unknown];
const REMOVE = Symbol('remove');

function setAt(document: unknown, path: readonly Key[], value: unknown): void {
  let parent = document as Record<Key, unknown>;
  for (const key of path.slice(0, -1)) parent = parent[key] as Record<Key, unknown>;
  const last = path.at(-1) ?? '';
  if (value === REMOVE) delete parent[last];
  else parent[last] = value;
}

/** The valid document below with `edits` applied in order. */
function editedDocument(...edits: Edit[]): Record<string, unknown> {
  const document = validDocument();
  for (const [path, value] of edits) setAt(document, path, value);
  return document;
}

const PROFILE = { baseUrl: 'http://127.0.0.1:8091', baseUrlEnv: 'PROFILE_SERVICE_URL', path: '/profiles/{entityId}' };

function validDocument(): Record<string, unknown> {
  return {
    name: 'demo',
    scorer: { model: 'demo', input: 'features', output: 'scores' },
    sources: {
      profile: { ...PROFILE },
      events: {
        baseUrl: 'http://127.0.0.1:8092',
        path: '/users/{entityId}/events',
        required: false,
        defaults: { events: [] },
      },
    },
    features: [
      { name: 'signup', kind: 'number', source: 'profile', field: 'daysSinceSignup' },
      {
        name: 'counts',
        kind: 'category_counts',
        source: 'events',
        field: 'events',
        categoryField: 'category',
        ageField: 'ageDays',
        windowDays: 30,
        categories: ['a', 'b', 'c'],
      },
    ],
  };
}

await test('the demo pipeline loads with the interests model layout and every policy filled in', async () => {
  const pipeline = await loadPipeline(DEMO, {});
  assert.equal(pipeline.name, 'interests');
  assert.deepEqual(pipeline.scorer, { model: 'interests', input: 'features', output: 'scores' });
  assert.equal(pipeline.width, 64);
  assert.deepEqual(pipeline.columns, [...FEATURE_NAMES]);
  const { profile, events } = pipeline.sources;
  assert.ok(profile && events);
  assert.equal(profile.baseUrl, 'http://127.0.0.1:8091');
  assert.equal(profile.required, true);
  assert.equal(events.required, false);
  assert.deepEqual(events.defaults, { events: [] });
  assert.ok(profile.timeoutMs >= 150 && profile.timeoutMs <= 200);
  assert.deepEqual(profile.hedge, { afterMs: 'p95', maxExtraPercent: 10 });
  assert.ok(Object.isFrozen(pipeline) && Object.isFrozen(profile.retry) && Object.isFrozen(events.defaults));
  assert.equal(Reflect.set(profile, 'timeoutMs', 1), false);
});

await test('defaults fill every policy a source leaves out, and JSON files load too', async (t) => {
  const writePipeline = await scratch(t);
  const path = await writePipeline('minimal.json', JSON.stringify(validDocument()));
  const pipeline = await loadPipeline(path, {});
  const profile = pipeline.sources.profile;
  assert.ok(profile);
  assert.deepEqual(
    { ...profile },
    {
      baseUrl: 'http://127.0.0.1:8091',
      baseUrlEnv: 'PROFILE_SERVICE_URL',
      path: '/profiles/{entityId}',
      required: true,
      timeoutMs: 250,
      retry: { maxAttempts: 2, initialDelayMs: 10, maxDelayMs: 100 },
      breaker: { failureRatio: 0.5, minimumRequests: 20, windowMs: 10_000, halfOpenAfterMs: 5_000 },
      bulkhead: { maxConcurrent: 512, maxQueued: 1024 },
      connections: 64,
    },
  );
  assert.deepEqual(pipeline.features[0], {
    name: 'signup',
    kind: 'number',
    source: 'profile',
    field: 'daysSinceSignup',
    default: 0,
    transform: 'identity',
    scale: 1,
  });
  assert.deepEqual(pipeline.columns, ['signup', 'counts.a', 'counts.b', 'counts.c']);
});

await test('a numeric scorer version is read as its string', () => {
  const document = editedDocument([['scorer', 'version'], 3]);
  assert.equal(parsePipeline(document, {}, 'inline').scorer.version, '3');
});

type Breakage = [expected: string, ...edits: Edit[]];

const P = ['sources', 'profile'] as const;
const F0 = ['features', 0] as const;
const F1 = ['features', 1] as const;

const BREAKAGES: Breakage[] = [
  ['sources.profile.timeoutMs: Invalid input: expected number', [[...P, 'timeoutMs'], 'fast']],
  ['sources.profile.timeoutMs: Too small', [[...P, 'timeoutMs'], 0]],
  ['sources.profile.timeoutMs: Too big', [[...P, 'timeoutMs'], 60_001]],
  ['sources.profile.retry.maxAttempts: Too big', [[...P, 'retry'], { maxAttempts: 9 }]],
  [
    'sources.profile.retry.maxDelayMs: must be at least initialDelayMs',
    [[...P, 'retry'], { initialDelayMs: 50, maxDelayMs: 20 }],
  ],
  ['sources.profile.breaker.failureRatio: Too big', [[...P, 'breaker'], { failureRatio: 1.5 }]],
  ['sources.profile.bulkhead.maxConcurrent: Too small', [[...P, 'bulkhead'], { maxConcurrent: 0 }]],
  ['sources.profile.connections: Invalid input: expected int', [[...P, 'connections'], 1.5]],
  ['sources.profile.timeoutMss: unknown key', [[...P, 'timeoutMss'], 200]],
  ['extra: unknown key', [['extra'], true]],
  [
    'scorer.labels: labels must be unique',
    [
      ['scorer', 'labels'],
      ['a', 'a'],
    ],
  ],
  ['scorer.model: must be letters', [['scorer', 'model'], '../etc']],
  ['name: Invalid input: expected string', [['name'], REMOVE]],
  ['sources.profile.baseUrl: must not carry credentials', [[...P, 'baseUrl'], 'http://u:p@h:1']],
  ['sources.profile.baseUrl: must use http or https', [[...P, 'baseUrl'], 'ftp://h']],
  ['sources.profile.baseUrl: must be an origin', [[...P, 'baseUrl'], 'http://h/api']],
  ['sources.profile.baseUrl: not a valid URL', [[...P, 'baseUrl'], 'localhost']],
  ['sources.profile.baseUrlEnv: must be an environment variable name', [[...P, 'baseUrlEnv'], 'A-B']],
  ['sources.profile.path: must start with /', [[...P, 'path'], 'profiles/{entityId}']],
  ['sources.profile.path: must not start with //', [[...P, 'path'], '//evil.example/{entityId}']],
  ['sources.profile.path: may contain {entityId} at most once', [[...P, 'path'], '/{entityId}/{entityId}']],
  ['sources.profile.path: only {entityId} may be substituted', [[...P, 'path'], '/p/{region}']],
  ['sources.profile.path: must not contain whitespace', [[...P, 'path'], '/p/{entityId}#x']],
  ['sources.profile.defaults: only allowed on an optional source', [[...P, 'defaults'], {}]],
  ['sources.events.defaults: required for an optional source', [['sources', 'events', 'defaults'], REMOVE]],
  ['sources.events.defaults: Invalid input: expected record', [['sources', 'events', 'defaults'], []]],
  [
    'sources.profile.hedge.afterMs: must be below timeoutMs',
    [[...P, 'timeoutMs'], 100],
    [[...P, 'hedge'], { afterMs: 100 }],
  ],
  [
    'sources.profile.hedge.afterMs: must be one of p50, p75, p90, p95, p99 or whole',
    [[...P, 'hedge'], { afterMs: 'p42' }],
  ],
  ['sources["bad name"]: invalid name', [['sources', 'bad name'], PROFILE]],
  ['sources.constructor: invalid name: is a reserved name', [['sources', 'constructor'], PROFILE]],
  ['sources.spare: not used by any feature', [['sources', 'spare'], PROFILE]],
  ['sources: declare at least one source', [['sources'], {}]],
  ['features: Too small', [['features'], []]],
  ['features[1].source: unknown source "clicks" (declared: profile, events)', [[...F1, 'source'], 'clicks']],
  ['features[1].name: duplicate feature name "signup" (also features[0])', [[...F1, 'name'], 'signup']],
  ['features[0].name: must be a letter', [[...F0, 'name'], 'a.b']],
  ['features[0].kind: Invalid discriminator value', [[...F0, 'kind'], 'embedding']],
  ['features[0].field: must be a dot path', [[...F0, 'field'], 'a..b']],
  ['features[0].field: must not name __proto__', [[...F0, 'field'], 'constructor.name']],
  [
    'features[0].clip: must be [low, high]',
    [
      [...F0, 'clip'],
      [1, 0],
    ],
  ],
  ['features[0].transform: Invalid option', [[...F0, 'transform'], 'sqrt']],
  ['features[0].scale: Invalid input: expected number', [[...F0, 'scale'], '2']],
  ['features[0].categories: unknown key', [[...F0, 'categories'], ['x']]],
  [
    'features[1].categories[2]: duplicate "a"',
    [
      [...F1, 'categories'],
      ['a', 'b', 'a'],
    ],
  ],
  ['features[1].categories: Too small', [[...F1, 'categories'], []]],
  ['features[1].windowDays: ageField and windowDays go together', [[...F1, 'windowDays'], REMOVE]],
  [
    'features[1].decayDays: Too small',
    [[...F1, 'windowDays'], REMOVE],
    [[...F1, 'kind'], 'recency_weighted_counts'],
    [[...F1, 'decayDays'], 0],
  ],
];

await test('each broken pipeline is rejected with the file and the exact path of the problem', async (t) => {
  const writePipeline = await scratch(t);
  const mismatches: string[] = [];
  for (const [index, [expected, ...edits]] of BREAKAGES.entries()) {
    const document = editedDocument(...edits);
    // Alternate formats so both parsers feed the same validation.
    const json = index % 2 === 1;
    const path = await writePipeline(
      `broken-${index}.${json ? 'json' : 'yaml'}`,
      (json ? JSON.stringify : stringify)(document),
    );
    const message = await loadPipeline(path, {}).then(
      () => '(loaded without error)',
      (error: Error) => error.message,
    );
    if (!message.includes(`${path}: ${expected}`)) mismatches.push(`expected "${expected}", got:\n${message}`);
  }
  assert.deepEqual(mismatches, []);
});

await test('every problem gets its own line', () => {
  const document = editedDocument(
    [['sources', 'profile', 'timeoutMs'], -1],
    [['sources', 'events', 'connections'], 0],
    [['features', 0, 'bogus'], 1],
  );
  assert.throws(
    () => parsePipeline(document, {}, 'p.yaml'),
    (error: Error) => {
      assert.deepEqual(
        error.message.split('\n').map((line) => line.split(': ').slice(0, 2).join(': ')),
        ['p.yaml: sources.profile.timeoutMs', 'p.yaml: sources.events.connections', 'p.yaml: features[0].bogus'],
      );
      return true;
    },
  );
});

await test('unreadable and unparsable files are named in the error', async (t) => {
  const writePipeline = await scratch(t);
  const missing = join(tmpdir(), 'no-such-dir-for-pipelines', 'missing.yaml');
  await assertRejectsStartingWith(loadPipeline(missing, {}), `${missing}: cannot read the pipeline file (ENOENT`);
  const yaml = await writePipeline('bad.yaml', 'name: a\nname: b\n');
  await assertRejectsStartingWith(loadPipeline(yaml, {}), `${yaml}: line 2, column 1: Map keys must be unique`);
  const alias = await writePipeline('alias.yaml', 'name: *nowhere\n');
  await assertRejectsStartingWith(loadPipeline(alias, {}), `${alias}: `);
  const json = await writePipeline('bad.json', '{"name": ');
  await assertRejectsStartingWith(loadPipeline(json, {}), `${json}: invalid JSON`);
  const toml = await writePipeline('pipeline.toml', 'name = "a"');
  await assertRejectsStartingWith(loadPipeline(toml, {}), `${toml}: unsupported extension ".toml"`);
  const empty = await writePipeline('empty.yaml', '');
  await assertRejectsStartingWith(loadPipeline(empty, {}), `${empty}: (root): Invalid input: expected object`);
});

await test('a set override variable replaces baseUrl; an empty one is ignored', () => {
  const pipeline = parsePipeline(validDocument(), { PROFILE_SERVICE_URL: 'https://profile.internal:9443/' }, 'p.yaml');
  assert.equal(pipeline.sources.profile?.baseUrl, 'https://profile.internal:9443');
  assert.equal(pipeline.sources.events?.baseUrl, 'http://127.0.0.1:8092');
  const unset = parsePipeline(validDocument(), { PROFILE_SERVICE_URL: '' }, 'p.yaml');
  assert.equal(unset.sources.profile?.baseUrl, 'http://127.0.0.1:8091');
});

await test('an invalid override names the variable and never echoes its value', async () => {
  for (const [value, reason] of [
    ['ftp://profile', 'must use http or https'],
    ['http://user:s3cret@profile', 'must not carry credentials'],
    ['profile:8091', 'must use http or https'],
    ['not a url', 'not a valid URL'],
  ] as const) {
    await assert.rejects(loadPipeline(DEMO, { PROFILE_SERVICE_URL: value }), (error: Error) => {
      assert.equal(error.message, `${DEMO}: sources.profile.baseUrlEnv: PROFILE_SERVICE_URL ${reason}`);
      return true;
    });
  }
});

const SLOTS = [
  ['name'],
  ['scorer'],
  ['scorer', 'version'],
  ['scorer', 'labels'],
  ['sources'],
  ['sources', 'profile'],
  ['sources', 'profile', 'baseUrl'],
  ['sources', 'profile', 'path'],
  ['sources', 'profile', 'retry'],
  ['sources', 'profile', 'hedge'],
  ['sources', 'events', 'defaults'],
  ['sources', 'events', 'required'],
  ['features'],
  ['features', 0],
  ['features', 0, 'field'],
  ['features', 1, 'categories'],
  ['features', 1, 'windowDays'],
  ['features', 1, 'kind'],
] as const;

await test('any JSON value in any slot either loads or fails with one `origin: path: problem` line each', () => {
  fc.assert(
    fc.property(fc.constantFrom(...SLOTS), fc.jsonValue(), (slot, value) => {
      const document = editedDocument([slot, value]);
      try {
        parsePipeline(document, {}, 'fuzz.yaml');
      } catch (error) {
        assert.ok(error instanceof Error && !(error instanceof TypeError), String(error));
        for (const line of error.message.split('\n')) assert.match(line, /^fuzz\.yaml: (\(root\)|[A-Za-z_$[]).*: \S/);
      }
    }),
    { numRuns: 400 },
  );
});

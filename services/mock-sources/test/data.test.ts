import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { getStats, getText } from './source-client.ts';
import { startMockSource, type RunningMockSource } from './mock-source-process.ts';

const CATEGORIES = [
  'sports',
  'music',
  'movies',
  'travel',
  'food',
  'fashion',
  'tech',
  'gaming',
  'books',
  'fitness',
  'finance',
  'autos',
  'home',
  'pets',
  'beauty',
  'parenting',
];
const RANDOM_IDS = ['u-42', 'u-1', 'user@example.com', 'A', 'acct:9f.x_y-z', 'u-musical-3', 'u-music'];

type Event = { category: string; ageDays: number };

let profiles: RunningMockSource;
let otherProfiles: RunningMockSource;
let events: RunningMockSource;
before(async () => {
  [profiles, otherProfiles, events] = await Promise.all([
    startMockSource('profile'),
    startMockSource('profile'),
    startMockSource('events'),
  ]);
});
after(() => Promise.all([profiles.stop(), otherProfiles.stop(), events.stop()]));

async function eventsOf(entityId: string): Promise<Event[]> {
  const { status, text } = await getText(events.url, `/users/${entityId}/events`);
  assert.equal(status, 200, text);
  const body = JSON.parse(text) as { entityId: string; events: Event[] };
  assert.equal(body.entityId, entityId);
  return body.events;
}

describe('profiles', () => {
  test('have the documented shape and vocabularies', async () => {
    for (const entityId of RANDOM_IDS) {
      const { status, headers, text } = await getText(profiles.url, `/profiles/${encodeURIComponent(entityId)}`);
      assert.equal(status, 200, text);
      assert.match(headers.get('content-type') ?? '', /^application\/json/);
      const profile = JSON.parse(text) as Record<string, unknown>;
      assert.deepEqual(Object.keys(profile), [
        'entityId',
        'declaredInterests',
        'ageBucket',
        'daysSinceSignup',
        'sessionsPerWeek',
        'premium',
        'device',
        'region',
      ]);
      assert.equal(profile['entityId'], entityId);
      const declared = profile['declaredInterests'] as string[];
      assert.ok(declared.every((category) => CATEGORIES.includes(category)));
      assert.ok(['18-24', '25-34', '35-44', '45-54', '55-64', '65+'].includes(profile['ageBucket'] as string));
      assert.ok(Number.isInteger(profile['daysSinceSignup']) && (profile['daysSinceSignup'] as number) >= 0);
      assert.ok(typeof profile['sessionsPerWeek'] === 'number' && profile['sessionsPerWeek'] >= 0);
      assert.equal(typeof profile['premium'], 'boolean');
      assert.ok(['mobile', 'desktop', 'tablet'].includes(profile['device'] as string));
      assert.ok(['americas', 'europe', 'asia', 'other'].includes(profile['region'] as string));
    }
  });

  test('are the same bytes for the same id, twice and across two processes', async () => {
    for (const entityId of [...RANDOM_IDS, 'u-music-7']) {
      const path = `/profiles/${encodeURIComponent(entityId)}`;
      const [first, second, elsewhere] = await Promise.all([
        getText(profiles.url, path),
        getText(profiles.url, path),
        getText(otherProfiles.url, path),
      ]);
      assert.equal(second.text, first.text);
      assert.equal(elsewhere.text, first.text);
    }
    const [a, b] = await Promise.all([getText(profiles.url, '/profiles/u-1'), getText(profiles.url, '/profiles/u-2')]);
    assert.notEqual(a.text, b.text);
  });
});

describe('events', () => {
  test('are 0–60 events with known categories and ages in [0, 60), newest first, the same every time', async () => {
    const counts = new Set<number>();
    for (let i = 0; i < 40; i++) {
      const list = await eventsOf(`u-${i}`);
      counts.add(list.length);
      assert.ok(list.length <= 60);
      for (const [index, event] of list.entries()) {
        assert.deepEqual(Object.keys(event), ['category', 'ageDays']);
        assert.ok(CATEGORIES.includes(event.category), event.category);
        assert.ok(event.ageDays >= 0 && event.ageDays < 60, String(event.ageDays));
        if (index > 0) assert.ok(event.ageDays >= list[index - 1]!.ageDays);
      }
      assert.deepEqual(await eventsOf(`u-${i}`), list);
    }
    assert.ok(counts.size > 10, 'users differ in how active they are');
  });

  test('every u-<category>-* user is at least 80% that category in the last 30 days, with 12+ such events', async () => {
    for (const category of CATEGORIES) {
      for (const suffix of ['0', '7', 'x', 'demo.user@2']) {
        const recent = (await eventsOf(`u-${category}-${suffix}`)).filter((event) => event.ageDays < 30);
        const own = recent.filter((event) => event.category === category).length;
        assert.ok(own >= 12, `u-${category}-${suffix}: ${own} ${category} events in 30 days`);
        assert.ok(own / recent.length >= 0.8, `u-${category}-${suffix}: ${own} of ${recent.length}`);
      }
    }
  });
});

describe('entity ids', () => {
  test('missing-* is 404 {"error":"not found"}, on both sources', async () => {
    for (const [url, path] of [
      [profiles.url, '/profiles/missing-1'],
      [events.url, '/users/missing-u-music-1/events'],
    ] as const) {
      const { status, text } = await getText(url, path);
      assert.equal(status, 404);
      assert.equal(text, '{"error":"not found"}');
    }
  });

  test('a malformed id is 400 with {"error"}, and counted as a data request', async () => {
    const before = await getStats(profiles.url);
    for (const bad of ['-leading-dash', '%2Fslash', 'x'.repeat(129), 'sp%20ace']) {
      const { status, text } = await getText(profiles.url, `/profiles/${bad}`);
      assert.equal(status, 400, bad);
      assert.equal(typeof (JSON.parse(text) as { error: unknown }).error, 'string');
    }
    const after = await getStats(profiles.url);
    assert.equal(after.byOutcome['bad-request']! - before.byOutcome['bad-request']!, 4);
  });

  test('each process serves only its own kind', async () => {
    assert.equal((await getText(profiles.url, '/users/u-1/events')).status, 404);
    assert.equal((await getText(events.url, '/profiles/u-1')).status, 404);
  });
});

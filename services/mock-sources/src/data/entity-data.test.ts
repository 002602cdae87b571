import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { forcedCategory, generateEntity, HISTORY_DAYS, RECENT_DAYS } from './entity-data.ts';
import { ENTITY_ID_PATTERN } from './entity-id.ts';
import { CATEGORIES } from '@splitserve/demo-domain';

const suffix = fc.stringMatching(/^[A-Za-z0-9._:@-]{0,20}$/);
const entityId = fc.stringMatching(ENTITY_ID_PATTERN);

test('u-<category>-<anything>: at least 80% of the last 30 days is the category, with 12+ such events', () => {
  fc.assert(
    fc.property(fc.constantFrom(...CATEGORIES), suffix, (category, rest) => {
      const id = `u-${category}-${rest}`;
      assert.equal(forcedCategory(id), category);
      const recent = generateEntity(id).history.events.filter((event) => event.ageDays < RECENT_DAYS);
      const own = recent.filter((event) => event.category === category).length;
      return own >= 12 && own / recent.length >= 0.8;
    }),
    { numRuns: 2_000 },
  );
});

test('any id gives the same user every time, within the documented ranges', () => {
  fc.assert(
    fc.property(entityId, (id) => {
      const data = generateEntity(id);
      assert.equal(JSON.stringify(generateEntity(id)), JSON.stringify(data));
      assert.equal(data.profile.entityId, id);
      assert.equal(data.history.entityId, id);
      const { events } = data.history;
      assert.ok(events.length <= 60);
      for (const [index, event] of events.entries()) {
        assert.ok(event.ageDays >= 0 && event.ageDays < HISTORY_DAYS);
        assert.ok(index === 0 || event.ageDays >= events[index - 1]!.ageDays);
        assert.ok(String(event.ageDays).length <= 5, `ageDays ${event.ageDays} prints short`);
      }
      assert.ok(data.profile.daysSinceSignup >= 0 && data.profile.daysSinceSignup <= 3650);
      assert.ok(data.profile.sessionsPerWeek >= 0);
    }),
    { numRuns: 500 },
  );
});

test('only lower-case category names after u- are forced', () => {
  assert.equal(forcedCategory('u-music-7'), 'music');
  assert.equal(forcedCategory('u-music-'), 'music');
  assert.equal(forcedCategory('u-music'), undefined);
  assert.equal(forcedCategory('u-Music-7'), undefined);
  assert.equal(forcedCategory('u-musical-7'), undefined);
  assert.equal(forcedCategory('x-music-7'), undefined);
});

test('random users are mostly focused: their top category holds most of their events', () => {
  let focused = 0;
  let active = 0;
  for (let i = 0; i < 500; i++) {
    const { events } = generateEntity(`user-${i}`).history;
    if (events.length < 10) continue;
    active++;
    const counts = new Map<string, number>();
    for (const event of events) counts.set(event.category, (counts.get(event.category) ?? 0) + 1);
    if (Math.max(...counts.values()) / events.length >= 0.4) focused++;
  }
  assert.ok(focused / active > 0.7, `${focused} of ${active} focused`);
});

import type { EntityData } from './entity-data.ts';
import { CATEGORIES } from '@splitserve/demo-domain';

/**
 * The user's real data in the wrong types — numbers where strings belong, strings where numbers and lists belong —
 * so a client that trusts the JSON without validating it fails.
 */
export function wrongShapeProfile({ profile }: EntityData): Record<string, unknown> {
  return {
    entityId: profile.entityId.length,
    declaredInterests: profile.declaredInterests.join(','),
    ageBucket: parseInt(profile.ageBucket, 10),
    daysSinceSignup: String(profile.daysSinceSignup),
    sessionsPerWeek: String(profile.sessionsPerWeek),
    premium: profile.premium ? 'yes' : 'no',
    device: 1,
    region: null,
  };
}

/** As {@link wrongShapeProfile}, for the events source: category indices and string ages. */
export function wrongShapeHistory({ history }: EntityData): Record<string, unknown> {
  return {
    entityId: history.entityId.length,
    events: history.events.map((event) => ({
      category: CATEGORIES.indexOf(event.category),
      ageDays: String(event.ageDays),
    })),
  };
}

import { createSeededRandom, seedFromText, type SeededRandom } from '@splitserve/demo-domain';
import {
  AGE_BUCKETS,
  CATEGORIES,
  DEVICES,
  REGIONS,
  isCategory,
  type AgeBucket,
  type Category,
  type Device,
  type Region,
} from '@splitserve/demo-domain';

/** What the profile source answers for one user. */
export type Profile = {
  entityId: string;
  declaredInterests: Category[];
  ageBucket: AgeBucket;
  daysSinceSignup: number;
  sessionsPerWeek: number;
  premium: boolean;
  device: Device;
  region: Region;
};

/** One engagement; `ageDays` is how long ago it happened, in [0, 60). */
export type UserEvent = { category: Category; ageDays: number };

/** What the events source answers for one user: newest first. */
export type EventHistory = { entityId: string; events: UserEvent[] };

/** Everything both sources know about one user; each source serves its half. */
export type EntityData = { profile: Profile; history: EventHistory };

/** Events at most this old are served. */
export const HISTORY_DAYS = 60;
/** The window in which `u-<category>-*` users are guaranteed to be dominated by their category. */
export const RECENT_DAYS = 30;

const CATEGORY_COUNT = CATEGORIES.length;
const AGE_BUCKET_WEIGHTS = [0.14, 0.26, 0.22, 0.17, 0.12, 0.09];
const DEVICE_WEIGHTS = [0.58, 0.32, 0.1];
const REGION_WEIGHTS = [0.36, 0.3, 0.24, 0.1];
/** How many categories a random user mainly cares about: 1, 2 or 3. */
const FOCUS_COUNT_WEIGHTS = [0.45, 0.35, 0.2];
/** Gamma shapes of the interest mix: focus categories take most of the mass, the rest a thin tail. */
const FOCUS_SHAPE = 2;
const TAIL_SHAPE = 0.1;
/** Share of events that are aimless browsing, whatever the user's interests. */
const BROWSING_SHARE = 0.07;
const INACTIVE_SHARE = 0.05;
/** A category counts as an interest (declared with DECLARE_INTEREST) above this share of the mix. */
const INTEREST_SHARE = 0.15;
const DECLARE_INTEREST = 0.65;
/** Users also tick boxes they never engage with. */
const DECLARE_STRAY = 0.05;
/** Chance that a `u-<category>-*` user declares the category. */
const DECLARE_FORCED = 0.85;

/**
 * The user behind `entityId`, drawn from a generator seeded by the id: the same id gives the same user, byte for
 * byte, in every process. Ids `u-<category>-<anything>` are users whose last 30 days are at least 85% that category
 * with at least 13 such events; every other id is a random user with 0–60 events over 60 days.
 */
export function generateEntity(entityId: string): EntityData {
  const random = createSeededRandom(seedFromText(entityId));
  const forced = forcedCategory(entityId);
  const mix = forced === undefined ? randomInterestMix(random) : focusedInterestMix(random, forced);
  const events = forced === undefined ? randomEvents(random, mix) : focusedEvents(random, mix, forced);
  events.sort((a, b) => a.ageDays - b.ageDays);
  const profile: Profile = {
    entityId,
    declaredInterests: CATEGORIES.filter((category, c) => {
      if (category === forced) return random.bernoulli(DECLARE_FORCED);
      return random.bernoulli((mix[c] ?? 0) > INTEREST_SHARE ? DECLARE_INTEREST : DECLARE_STRAY);
    }),
    ageBucket: pick(random, AGE_BUCKETS, AGE_BUCKET_WEIGHTS),
    daysSinceSignup: Math.min(3650, Math.floor(Math.exp(Math.log(240) + 1.1 * random.normal()))),
    sessionsPerWeek: roundTo(0.2 + (events.length / 8) * Math.exp(0.4 * random.normal()), 1),
    premium: random.bernoulli(0.2),
    device: pick(random, DEVICES, DEVICE_WEIGHTS),
    region: pick(random, REGIONS, REGION_WEIGHTS),
  };
  return { profile, history: { entityId, events } };
}

/** The category an id of the form `u-<category>-<anything>` asks for, if any. */
export function forcedCategory(entityId: string): Category | undefined {
  const word = /^u-([a-z]+)-/.exec(entityId)?.[1];
  return word !== undefined && isCategory(word) ? word : undefined;
}

function randomInterestMix(random: SeededRandom): number[] {
  const focusCount = random.categorical(FOCUS_COUNT_WEIGHTS) + 1;
  const focus = new Set<number>();
  while (focus.size < focusCount) focus.add(random.int(CATEGORY_COUNT));
  return normalised(CATEGORIES.map((_, c) => random.gamma(focus.has(c) ? FOCUS_SHAPE : TAIL_SHAPE)));
}

function focusedInterestMix(random: SeededRandom, forced: Category): number[] {
  const forcedIndex = CATEGORIES.indexOf(forced);
  const share = 0.85 + 0.1 * random.uniform();
  const others = normalised(CATEGORIES.map((_, c) => (c === forcedIndex ? 0 : random.gamma(TAIL_SHAPE))));
  return others.map((weight, c) => (c === forcedIndex ? share : weight * (1 - share)));
}

function randomEvents(random: SeededRandom, mix: readonly number[]): UserEvent[] {
  if (random.bernoulli(INACTIVE_SHARE)) return [];
  const count = Math.min(60, Math.max(1, Math.round(Math.exp(Math.log(18) + 0.7 * random.normal()))));
  return Array.from({ length: count }, () => ({
    category: browseOrFollow(random, mix),
    ageDays: ageDays(random, 0, HISTORY_DAYS),
  }));
}

function focusedEvents(random: SeededRandom, mix: readonly number[], forced: Category): UserEvent[] {
  // Built to the guarantee rather than sampled and hoped for: 15–30 recent events, at most 15% of them strays.
  const recentCount = 15 + random.int(16);
  const strayCount = random.int(Math.floor(recentCount * 0.15) + 1);
  const strayMix = mix.map((weight, c) => (CATEGORIES[c] === forced ? 0 : weight));
  const recent = Array.from({ length: recentCount }, (_, i) => ({
    category: i < strayCount ? (CATEGORIES[random.categorical(strayMix)] ?? forced) : forced,
    ageDays: ageDays(random, 0, RECENT_DAYS),
  }));
  const older = Array.from({ length: random.int(16) }, () => ({
    category: browseOrFollow(random, mix),
    ageDays: ageDays(random, RECENT_DAYS, HISTORY_DAYS),
  }));
  return [...recent, ...older];
}

function browseOrFollow(random: SeededRandom, mix: readonly number[]): Category {
  const index = random.bernoulli(BROWSING_SHARE) ? random.int(CATEGORY_COUNT) : random.categorical(mix);
  return CATEGORIES[index] ?? 'sports';
}

/** Whole hundredths of a day in [fromDays, toDays), divided last so JSON shows them short (42.34, not 42.339…). */
function ageDays(random: SeededRandom, fromDays: number, toDays: number): number {
  return (fromDays * 100 + random.int((toDays - fromDays) * 100)) / 100;
}

function normalised(weights: number[]): number[] {
  const total = weights.reduce((sum, weight) => sum + weight, 0);
  return weights.map((weight) => weight / total);
}

function pick<T>(random: SeededRandom, values: readonly T[], weights: readonly number[]): T {
  const value = values[random.categorical(weights)];
  if (value === undefined) throw new Error('pick: more weights than values');
  return value;
}

function roundTo(value: number, decimals: number): number {
  const scale = 10 ** decimals;
  return Math.round(value * scale) / scale;
}

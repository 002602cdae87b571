import { AGE_BUCKETS, DEVICES, REGIONS } from '@splitserve/demo-domain';
import { INTEREST_LABELS } from './interest-feature-layout.ts';
import { EVENT_WINDOW_DAYS } from './interest-features.ts';
import type { UserEvent, UserProfile } from './interest-features.ts';
import type { SeededRandom } from '@splitserve/demo-domain';

/** A generated user: the observable profile plus the hidden truth the model has to recover. */
export interface SyntheticUser {
  profile: UserProfile;
  /** Latent interest mix over the 16 categories (sums to 1). */
  latent: Float64Array;
  /** 1 where the user engages with the category in the next period: the training target. */
  nextPeriod: Uint8Array;
}

const CATEGORY_COUNT = INTEREST_LABELS.length;
const AGE_BUCKET_WEIGHTS = [0.15, 0.25, 0.22, 0.17, 0.12, 0.09];
const DEVICE_WEIGHTS = [0.6, 0.3, 0.1];
const REGION_WEIGHTS = [0.35, 0.3, 0.25, 0.1];
/** How many categories a user mainly cares about: 1, 2 or 3. */
const FOCUS_COUNT_WEIGHTS = [0.45, 0.35, 0.2];
/** Dirichlet concentrations: focus categories get most of the mass, the rest a thin tail. */
const FOCUS_ALPHA = 2;
const TAIL_ALPHA = 0.08;
/** Share of events that are random browsing regardless of interests. */
const BROWSING_SHARE = 0.05;
const DECLARE_FOCUS_PROBABILITY = 0.6;
const DECLARE_OTHER_PROBABILITY = 0.04;
/** P(engage with c next period) = 1 - exp(-ENGAGEMENT_RATE * latent_c). */
const ENGAGEMENT_RATE = 3;

function poisson(random: SeededRandom, mean: number): number {
  // Knuth's method; the caller caps the mean well below where exp(-mean) underflows.
  const limit = Math.exp(-mean);
  let product = random.uniform();
  let count = 0;
  while (product > limit) {
    product *= random.uniform();
    count++;
  }
  return count;
}

function latentInterests(random: SeededRandom): Float64Array {
  const focusCount = random.categorical(FOCUS_COUNT_WEIGHTS) + 1;
  const focus = new Set<number>();
  while (focus.size < focusCount) focus.add(random.int(CATEGORY_COUNT));
  const latent = new Float64Array(CATEGORY_COUNT);
  let total = 0;
  for (let c = 0; c < CATEGORY_COUNT; c++) {
    latent[c] = random.gamma(focus.has(c) ? FOCUS_ALPHA : TAIL_ALPHA);
    total += latent[c] ?? 0;
  }
  for (let c = 0; c < CATEGORY_COUNT; c++) latent[c] = (latent[c] ?? 0) / total;
  return latent;
}

function drawEvents(random: SeededRandom, latent: Float64Array, count: number): UserEvent[] {
  const events: UserEvent[] = [];
  for (let i = 0; i < count; i++) {
    const category = random.bernoulli(BROWSING_SHARE) ? random.int(CATEGORY_COUNT) : random.categorical(latent);
    const ageDays = Math.floor(random.uniform() * EVENT_WINDOW_DAYS * 24) / 24;
    events.push({ category: INTEREST_LABELS[category] ?? 'sports', ageDays });
  }
  return events;
}

function declaredInterests(random: SeededRandom, latent: Float64Array): string[] {
  // "Focus" here is anything with a real share of the latent mix; users tick some of those, plus a few stray boxes.
  return INTEREST_LABELS.filter((_, c) =>
    random.bernoulli((latent[c] ?? 0) > 0.15 ? DECLARE_FOCUS_PROBABILITY : DECLARE_OTHER_PROBABILITY),
  );
}

function pick<T>(random: SeededRandom, values: readonly T[], weights: readonly number[]): T {
  const value = values[random.categorical(weights)];
  if (value === undefined) throw new Error('pick: weights longer than values');
  return value;
}

/** Draws one user; every random choice comes from `random`, so a seeded generator reproduces the same user. */
export function generateSyntheticUser(random: SeededRandom): SyntheticUser {
  const latent = latentInterests(random);
  const monthlyEvents = Math.min(200, Math.exp(Math.log(15) + 0.9 * random.normal()));
  const events = drawEvents(random, latent, poisson(random, monthlyEvents));
  const profile: UserProfile = {
    declaredInterests: declaredInterests(random, latent),
    ageBucket: pick(random, AGE_BUCKETS, AGE_BUCKET_WEIGHTS),
    daysSinceSignup: Math.min(3650, Math.floor(Math.exp(Math.log(200) + 1.2 * random.normal()))),
    sessionsPerWeek: Math.round((monthlyEvents / 6) * Math.exp(0.5 * random.normal()) * 10) / 10,
    premium: random.bernoulli(0.2),
    device: pick(random, DEVICES, DEVICE_WEIGHTS),
    region: pick(random, REGIONS, REGION_WEIGHTS),
    events,
  };
  const nextPeriod = new Uint8Array(CATEGORY_COUNT);
  for (let c = 0; c < CATEGORY_COUNT; c++) {
    nextPeriod[c] = random.bernoulli(1 - Math.exp(-ENGAGEMENT_RATE * (latent[c] ?? 0))) ? 1 : 0;
  }
  return { profile, latent, nextPeriod };
}

/** Draws `count` users in sequence from `random`. */
export function generateSyntheticUsers(random: SeededRandom, count: number): SyntheticUser[] {
  return Array.from({ length: count }, () => generateSyntheticUser(random));
}

import { AGE_BUCKETS, DEVICES, REGIONS } from '@splitserve/demo-domain';
import { FEATURE_COUNT, FEATURE_OFFSETS, INTEREST_LABELS } from './interest-feature-layout.ts';

/** One engagement event: its interest category and how many days ago it happened. */
export interface UserEvent {
  category: string;
  ageDays: number;
}

/** What the `interests` models know about a user. Strings outside the known vocabularies are ignored. */
export interface UserProfile {
  declaredInterests: readonly string[];
  ageBucket: string;
  daysSinceSignup: number;
  sessionsPerWeek: number;
  premium: boolean;
  device: string;
  region: string;
  events: readonly UserEvent[];
}

/** Events at least this old no longer count in the `events_30d` block. */
export const EVENT_WINDOW_DAYS = 30;
/** Time constant of the `recency` block's decay, exp(-ageDays / 7). */
export const RECENCY_DECAY_DAYS = 7;

function setOneHot(features: Float32Array, offset: number, vocabulary: readonly string[], value: string): void {
  const index = vocabulary.indexOf(value);
  if (index >= 0) features[offset + index] = 1;
}

/**
 * Builds the 64-float input row of the `interests` models (layout in config.json's `features`):
 * - 0..15 log1p(events in category c with ageDays < 30), 16..31 log1p(Σ exp(-ageDays/7)) over all events of c,
 * - 32..47 declared interests (multi-hot), 48..53 age bucket, 54 log1p(daysSinceSignup)/10,
 *   55 log1p(sessionsPerWeek)/5, 56 premium, 57..59 device, 60..63 region (one-hot).
 * Negative ages and counts (clock skew, bad data) are clamped to 0; unknown categories or buckets set no bit.
 */
export function computeInterestFeatures(user: UserProfile): Float32Array {
  const categoryCount = INTEREST_LABELS.length;
  const counts = new Float64Array(categoryCount);
  const recency = new Float64Array(categoryCount);
  for (const event of user.events) {
    const category = (INTEREST_LABELS as readonly string[]).indexOf(event.category);
    if (category < 0) continue;
    const ageDays = Math.max(0, event.ageDays);
    if (ageDays < EVENT_WINDOW_DAYS) counts[category] = (counts[category] ?? 0) + 1;
    recency[category] = (recency[category] ?? 0) + Math.exp(-ageDays / RECENCY_DECAY_DAYS);
  }

  const features = new Float32Array(FEATURE_COUNT);
  for (let c = 0; c < categoryCount; c++) {
    features[FEATURE_OFFSETS.eventCounts30d + c] = Math.log1p(counts[c] ?? 0);
    features[FEATURE_OFFSETS.recency + c] = Math.log1p(recency[c] ?? 0);
  }
  for (const interest of user.declaredInterests) {
    setOneHot(features, FEATURE_OFFSETS.declared, INTEREST_LABELS, interest);
  }
  setOneHot(features, FEATURE_OFFSETS.ageBucket, AGE_BUCKETS, user.ageBucket);
  features[FEATURE_OFFSETS.daysSinceSignup] = Math.log1p(Math.max(0, user.daysSinceSignup)) / 10;
  features[FEATURE_OFFSETS.sessionsPerWeek] = Math.log1p(Math.max(0, user.sessionsPerWeek)) / 5;
  features[FEATURE_OFFSETS.premium] = user.premium ? 1 : 0;
  setOneHot(features, FEATURE_OFFSETS.device, DEVICES, user.device);
  setOneHot(features, FEATURE_OFFSETS.region, REGIONS, user.region);
  return features;
}

import { AGE_BUCKETS, CATEGORIES, DEVICES, REGIONS } from '@splitserve/demo-domain';

/** Output labels of the `interests` models, in score order: the demo's interest categories. */
export const INTEREST_LABELS = CATEGORIES;
export type InterestLabel = (typeof INTEREST_LABELS)[number];

const CATEGORY_COUNT = INTEREST_LABELS.length;

/** Start index of each block of the 64-float feature vector. */
export const FEATURE_OFFSETS = {
  eventCounts30d: 0,
  recency: CATEGORY_COUNT,
  declared: 2 * CATEGORY_COUNT,
  ageBucket: 3 * CATEGORY_COUNT,
  daysSinceSignup: 3 * CATEGORY_COUNT + AGE_BUCKETS.length,
  sessionsPerWeek: 3 * CATEGORY_COUNT + AGE_BUCKETS.length + 1,
  premium: 3 * CATEGORY_COUNT + AGE_BUCKETS.length + 2,
  device: 3 * CATEGORY_COUNT + AGE_BUCKETS.length + 3,
  region: 3 * CATEGORY_COUNT + AGE_BUCKETS.length + 3 + DEVICES.length,
} as const;

/** Short names of the 64 features, index-aligned with the vector (written to config.json). */
export const FEATURE_NAMES: readonly string[] = [
  ...INTEREST_LABELS.map((label) => `events_30d.${label}`),
  ...INTEREST_LABELS.map((label) => `recency.${label}`),
  ...INTEREST_LABELS.map((label) => `declared.${label}`),
  ...AGE_BUCKETS.map((bucket) => `age.${bucket}`),
  'days_since_signup_log',
  'sessions_per_week_log',
  'is_premium',
  ...DEVICES.map((device) => `device.${device}`),
  ...REGIONS.map((region) => `region.${region}`),
];

export const FEATURE_COUNT = 64;

if (FEATURE_NAMES.length !== FEATURE_COUNT || FEATURE_OFFSETS.region + REGIONS.length !== FEATURE_COUNT) {
  throw new Error(`interest feature layout has ${FEATURE_NAMES.length} names, expected ${FEATURE_COUNT}`);
}

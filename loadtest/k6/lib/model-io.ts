/**
 * The interface every load-tested model shares (`interests` and `interests-heavy`): input `features` FP32 [n, 64],
 * output `scores` FP32 [n, 16], one column per label. k6-scripts.test.ts checks these against the models' configs.
 */
export const FEATURES_INPUT = 'features';
export const SCORES_OUTPUT = 'scores';
export const FEATURE_COUNT = 64;

/** The scores' labels in column order; also the categories of the mock sources' entity ids (`u-<category>-<n>`). */
export const INTEREST_LABELS = [
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
] as const;
export const LABEL_COUNT = INTEREST_LABELS.length;

/** The demo pipeline's model: its scores mean something, so an entity's category must rank first. */
export const MEANINGFUL_MODEL = 'interests';
/** The reference profile's model: about 30 ms of CPU per row, meaningless scores. */
export const REFERENCE_MODEL = 'interests-heavy';

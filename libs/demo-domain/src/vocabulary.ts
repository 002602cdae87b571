/** Interest categories of the demo's users, in the order the `interests` model scores them. */
export const CATEGORIES = [
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
export type Category = (typeof CATEGORIES)[number];

export const AGE_BUCKETS = ['18-24', '25-34', '35-44', '45-54', '55-64', '65+'] as const;
export type AgeBucket = (typeof AGE_BUCKETS)[number];

export const DEVICES = ['mobile', 'desktop', 'tablet'] as const;
export type Device = (typeof DEVICES)[number];

export const REGIONS = ['americas', 'europe', 'asia', 'other'] as const;
export type Region = (typeof REGIONS)[number];

/** Narrows a string to one of the 16 categories. */
export function isCategory(value: string): value is Category {
  return (CATEGORIES as readonly string[]).includes(value);
}

export { createSeededRandom, seedFromText, type SeededRandom } from './seeded-random.ts';
export {
  AGE_BUCKETS,
  CATEGORIES,
  DEVICES,
  REGIONS,
  isCategory,
  type AgeBucket,
  type Category,
  type Device,
  type Region,
} from './vocabulary.ts';

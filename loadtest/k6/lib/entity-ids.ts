import { INTEREST_LABELS } from './model-io.ts';

/**
 * The entity id space: `u-<category>-<n>` for n in [0, count). The mock feature services make such a user's recent
 * events mostly `<category>`, so with the `interests` model that label ranks first (unless the answer is degraded).
 * `random` is injected so tests can pin it.
 */
export function createEntityIds(count: number, random: () => number = Math.random) {
  const idAt = (n: number) => `u-${INTEREST_LABELS[n % INTEREST_LABELS.length] ?? 'sports'}-${n}`;
  return {
    /** One id, uniformly at random. */
    pick(): string {
      return idAt(Math.floor(random() * count));
    },
    /** `size` distinct ids (fewer when the space is smaller), uniformly at random. */
    pickDistinct(size: number): string[] {
      const picked = new Set<string>();
      const wanted = Math.min(size, count);
      while (picked.size < wanted) picked.add(idAt(Math.floor(random() * count)));
      return [...picked];
    },
  };
}

/** The category an id of this space was made for, or undefined for any other id. */
export function categoryOf(entityId: string): string | undefined {
  const category = /^u-([a-z]+)-\d+$/.exec(entityId)?.[1];
  return INTEREST_LABELS.find((label) => label === category);
}

import { INTEREST_LABELS } from './interest-feature-layout.ts';
import { EVENT_WINDOW_DAYS } from './interest-features.ts';
import type { UserEvent } from './interest-features.ts';

export interface DominanceRule {
  /** Share of the window's events one category must reach (0..1). */
  minShare: number;
  /** Fewer events than this say too little about a user to expect a clear winner. */
  minEvents: number;
}

/** The rule the `interests` model is held to: its top score is the category of ≥ 60% of ≥ 5 recent events. */
export const DOMINANCE_RULE: Readonly<DominanceRule> = Object.freeze({ minShare: 0.6, minEvents: 5 });

/**
 * Index (into the interest labels) of the category that makes up at least `minShare` of the events within the
 * 30-day window, or `undefined` when there is no such category or too few events.
 */
export function dominantCategory(
  events: readonly UserEvent[],
  rule: DominanceRule = DOMINANCE_RULE,
): number | undefined {
  const counts = new Map<string, number>();
  let total = 0;
  for (const event of events) {
    if (event.ageDays >= EVENT_WINDOW_DAYS) continue;
    counts.set(event.category, (counts.get(event.category) ?? 0) + 1);
    total++;
  }
  if (total < rule.minEvents) return undefined;
  for (const [category, count] of counts) {
    if (count / total >= rule.minShare) {
      const index = (INTEREST_LABELS as readonly string[]).indexOf(category);
      return index >= 0 ? index : undefined;
    }
  }
  return undefined;
}

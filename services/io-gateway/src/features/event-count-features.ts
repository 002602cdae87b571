import { columnScaling, scaleColumnValue } from './column-scaling.ts';
import type { ColumnWriter } from './column-writer.ts';
import type { CategoryCountsFeatureSpec, RecencyWeightedCountsFeatureSpec } from './feature-schema.ts';
import { compileFieldReader, fieldPathKeys } from './field-reader.ts';

/**
 * One column per category, summing a weight over the elements of an array (events) whose category field names it:
 * - `category_counts`: 1 per element younger than `windowDays` (every element when there is no window);
 * - `recency_weighted_counts`: exp(-age / decayDays) per element.
 * A missing, non-numeric or negative age counts as 0 (just now). Elements that are not objects or whose category is
 * unknown are skipped; a field that is not an array writes the feature's default in every column.
 */
export function compileEventCountFeature(
  spec: CategoryCountsFeatureSpec | RecencyWeightedCountsFeatureSpec,
  offset: number,
): ColumnWriter {
  const readEvents = compileFieldReader([spec.source, ...fieldPathKeys(spec.field)]);
  const readCategory = compileFieldReader(fieldPathKeys(spec.categoryField));
  const readAge = spec.ageField === undefined ? undefined : compileFieldReader(fieldPathKeys(spec.ageField));
  const indexByCategory = new Map(spec.categories.map((category, index) => [category, index]));
  const width = spec.categories.length;
  const scaling = columnScaling(spec);
  const decayDays = spec.kind === 'recency_weighted_counts' ? spec.decayDays : 0;
  const windowDays = spec.kind === 'category_counts' ? (spec.windowDays ?? Infinity) : Infinity;
  // Reused across calls (the builder is synchronous), and float64 so long sums match the reference to the last bit.
  const sums = new Float64Array(width);

  return function writeEventCounts(out, rowStart, raw) {
    const events = readEvents(raw);
    const start = rowStart + offset;
    if (!Array.isArray(events)) {
      if (scaling.fallback !== 0) out.fill(scaling.fallback, start, start + width);
      return;
    }
    sums.fill(0);
    for (let i = 0; i < events.length; i++) {
      const event: unknown = events[i];
      const category = readCategory(event);
      if (typeof category !== 'string') continue;
      const index = indexByCategory.get(category);
      if (index === undefined) continue;
      const age = readAge === undefined ? 0 : readAge(event);
      // NaN > 0 is false, so NaN joins the missing and negative ages at 0.
      const ageDays = typeof age === 'number' && age > 0 ? age : 0;
      if (decayDays > 0) sums[index] = (sums[index] ?? 0) + Math.exp(-ageDays / decayDays);
      else if (ageDays < windowDays) sums[index] = (sums[index] ?? 0) + 1;
    }
    for (let c = 0; c < width; c++) out[start + c] = scaleColumnValue(scaling, sums[c] ?? 0);
  };
}

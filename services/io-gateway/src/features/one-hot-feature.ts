import type { ColumnWriter } from './column-writer.ts';
import type { OneHotFeatureSpec } from './feature-schema.ts';
import { compileFieldReader, fieldPathKeys } from './field-reader.ts';

/**
 * One column per category: 1 in the column of the field's string value. A missing, non-string or unknown value
 * writes the feature's default in every column.
 */
export function compileOneHotFeature(spec: OneHotFeatureSpec, offset: number): ColumnWriter {
  const read = compileFieldReader([spec.source, ...fieldPathKeys(spec.field)]);
  const indexByCategory = new Map(spec.categories.map((category, index) => [category, index]));
  const width = spec.categories.length;
  const fallback = spec.default;
  return function writeOneHot(out, rowStart, raw) {
    const value = read(raw);
    const index = typeof value === 'string' ? indexByCategory.get(value) : undefined;
    const start = rowStart + offset;
    if (index !== undefined) out[start + index] = 1;
    else if (fallback !== 0) out.fill(fallback, start, start + width);
  };
}

import type { ColumnWriter } from './column-writer.ts';
import type { MultiHotFeatureSpec } from './feature-schema.ts';
import { compileFieldReader, fieldPathKeys } from './field-reader.ts';

/**
 * One column per category: 1 for each category present in the field's array of strings. Elements that are not
 * known strings set nothing; a field that is not an array writes the feature's default in every column.
 */
export function compileMultiHotFeature(spec: MultiHotFeatureSpec, offset: number): ColumnWriter {
  const read = compileFieldReader([spec.source, ...fieldPathKeys(spec.field)]);
  const indexByCategory = new Map(spec.categories.map((category, index) => [category, index]));
  const width = spec.categories.length;
  const fallback = spec.default;
  return function writeMultiHot(out, rowStart, raw) {
    const values = read(raw);
    const start = rowStart + offset;
    if (!Array.isArray(values)) {
      if (fallback !== 0) out.fill(fallback, start, start + width);
      return;
    }
    for (let i = 0; i < values.length; i++) {
      const value: unknown = values[i];
      if (typeof value !== 'string') continue;
      const index = indexByCategory.get(value);
      if (index !== undefined) out[start + index] = 1;
    }
  };
}

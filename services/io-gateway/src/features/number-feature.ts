import { columnScaling, scaleColumnValue } from './column-scaling.ts';
import type { ColumnWriter } from './column-writer.ts';
import type { NumberFeatureSpec } from './feature-schema.ts';
import { compileFieldReader, fieldPathKeys } from './field-reader.ts';

/**
 * One column from a number or a boolean (1/0). Strings, numeric ones included, and every other type give the
 * feature's default: a service that starts sending "5" has changed its contract, which should show, not be guessed.
 */
export function compileNumberFeature(spec: NumberFeatureSpec, offset: number): ColumnWriter {
  const read = compileFieldReader([spec.source, ...fieldPathKeys(spec.field)]);
  const scaling = columnScaling(spec);
  return function writeNumber(out, rowStart, raw) {
    const value = read(raw);
    let column = scaling.fallback;
    if (typeof value === 'number') column = scaleColumnValue(scaling, value);
    else if (typeof value === 'boolean') column = scaleColumnValue(scaling, value ? 1 : 0);
    out[rowStart + offset] = column;
  };
}

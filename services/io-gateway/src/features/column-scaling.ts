import type { NumberFeatureSpec } from './feature-schema.ts';

/** Floor of the `log` transform's argument, so zero and negative inputs give a finite (very negative) value. */
export const LOG_FLOOR = 1e-9;

const IDENTITY = 0;
const LOG1P = 1;
const LOG = 2;

/** Precomputed post-processing of one numeric feature; one shape for all, so the hot path stays monomorphic. */
export interface ColumnScaling {
  readonly transform: number;
  readonly scale: number;
  readonly low: number;
  readonly high: number;
  readonly fallback: number;
}

type ScalingSpec = Pick<NumberFeatureSpec, 'transform' | 'scale' | 'clip' | 'default'>;

/** Turns a feature's `transform`, `scale`, `clip` and `default` into a {@link ColumnScaling}. */
export function columnScaling(spec: ScalingSpec): ColumnScaling {
  const transform = spec.transform === 'log1p' ? LOG1P : spec.transform === 'log' ? LOG : IDENTITY;
  return {
    transform,
    scale: spec.scale,
    low: spec.clip?.[0] ?? -Infinity,
    high: spec.clip?.[1] ?? Infinity,
    fallback: spec.default,
  };
}

/**
 * transform → scale → clip, rounded to float32. NaN and ±Infinity in, or a result float32 cannot hold, give the
 * feature's default instead.
 */
export function scaleColumnValue(scaling: ColumnScaling, x: number): number {
  // x - x is 0 only for finite x.
  if (x - x !== 0) return scaling.fallback;
  let y = x;
  if (scaling.transform === LOG1P) y = Math.log1p(x > 0 ? x : 0);
  else if (scaling.transform === LOG) y = Math.log(x > LOG_FLOOR ? x : LOG_FLOOR);
  y *= scaling.scale;
  if (y < scaling.low) y = scaling.low;
  else if (y > scaling.high) y = scaling.high;
  const rounded = Math.fround(y);
  return rounded - rounded === 0 ? rounded : scaling.fallback;
}

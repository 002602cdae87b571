import type { ColumnWriter } from './column-writer.ts';
import { compileEventCountFeature } from './event-count-features.ts';
import { featureWidth } from './feature-schema.ts';
import type { FeatureSpec } from './feature-schema.ts';
import { compileMultiHotFeature } from './multi-hot-feature.ts';
import { compileNumberFeature } from './number-feature.ts';
import { compileOneHotFeature } from './one-hot-feature.ts';
import type { Pipeline } from './pipeline-schema.ts';

/** Source bodies by source name: the parsed JSON of each source, or its `defaults` when an optional one failed. */
export type RawSources = Readonly<Record<string, unknown>>;

/** Builds one input row of `width` float32 columns; never throws, never emits NaN or ±Infinity. */
export type FeatureVectorBuilder = (raw: RawSources) => Float32Array;

/**
 * Writes one input row into `out` at `rowStart`, which must be zeroed over the row (a fresh `Float32Array` is), so a
 * batch can be built straight into its [n, width] tensor.
 */
export type FeatureRowWriter = (raw: RawSources, out: Float32Array, rowStart: number) => void;

/**
 * True when a source body is a JSON object (not null, not an array): the only shape features can read. Callers treat
 * any other body as a failed fetch of that source.
 */
export function isJsonObject(body: unknown): body is Record<string, unknown> {
  return typeof body === 'object' && body !== null && !Array.isArray(body);
}

function compileFeature(spec: FeatureSpec, offset: number): ColumnWriter {
  switch (spec.kind) {
    case 'number':
      return compileNumberFeature(spec, offset);
    case 'one_hot':
      return compileOneHotFeature(spec, offset);
    case 'multi_hot':
      return compileMultiHotFeature(spec, offset);
    case 'category_counts':
    case 'recency_weighted_counts':
      return compileEventCountFeature(spec, offset);
  }
}

/**
 * Compiles a pipeline's features once into a row writer: vocabularies become maps and offsets constants, so a row
 * costs plain loops over the source bodies. Missing or malformed values give the feature's default.
 *
 * @throws Error when the features do not add up to `pipeline.width` (a pipeline not made by the loader).
 */
export function compileFeatureRowWriter(pipeline: Pick<Pipeline, 'features' | 'width'>): FeatureRowWriter {
  const writers: ColumnWriter[] = [];
  let offset = 0;
  for (const spec of pipeline.features) {
    writers.push(compileFeature(spec, offset));
    offset += featureWidth(spec);
  }
  if (offset !== pipeline.width) {
    throw new Error(`features add up to ${offset} columns, pipeline says ${pipeline.width}`);
  }
  return function writeFeatureRow(raw, out, rowStart) {
    for (const write of writers) write(out, rowStart, raw);
  };
}

/**
 * Compiles a pipeline's features once into a builder of one input row per entity (see
 * {@link compileFeatureRowWriter}); the only allocation per call is the returned array.
 */
export function compileFeatures(pipeline: Pick<Pipeline, 'features' | 'width'>): FeatureVectorBuilder {
  const writeRow = compileFeatureRowWriter(pipeline);
  const { width } = pipeline;
  return function buildFeatureVector(raw) {
    const out = new Float32Array(width);
    writeRow(raw, out, 0);
    return out;
  };
}

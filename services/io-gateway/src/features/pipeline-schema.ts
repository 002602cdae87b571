import { z } from 'zod';
import { featureColumns, featureSpecSchema, featureWidth } from './feature-schema.ts';
import { sourceNameSchema, sourceSchema } from './source-schema.ts';

export type {
  CategoryCountsFeatureSpec,
  FeatureKind,
  FeatureSpec,
  MultiHotFeatureSpec,
  NumberFeatureSpec,
  OneHotFeatureSpec,
  RecencyWeightedCountsFeatureSpec,
} from './feature-schema.ts';
export type {
  BreakerConfig,
  BulkheadConfig,
  HedgeConfig,
  HedgePercentile,
  RetryConfig,
  SourceConfig,
} from './source-schema.ts';

/** Most columns one pipeline may produce. */
export const MAX_PIPELINE_WIDTH = 100_000;

const modelNameSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/, 'must be letters, digits, _ . - (at most 128), not starting with _ . -');

const tensorNameSchema = z.string().min(1).max(256);

const scorerSchema = z.strictObject({
  model: modelNameSchema.meta({ description: 'Model name on the scorer.' }),
  version: z
    .preprocess(
      // YAML reads `version: 1` as a number; the scorer's versions are strings.
      (value) => (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? String(value) : value),
      z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, 'must be a version name such as "1"'),
    )
    .optional()
    .meta({ description: 'Model version; the scorer picks its highest when absent.' }),
  input: tensorNameSchema.meta({ description: 'Input tensor fed the FP32 [n, width] feature matrix.' }),
  output: tensorNameSchema.meta({ description: 'Output tensor whose columns are mapped to labels.' }),
  labels: z
    .array(z.string().min(1).max(256))
    .min(1)
    .max(100_000)
    .refine((labels) => new Set(labels).size === labels.length, 'labels must be unique')
    .optional()
    .meta({ description: "Output labels in column order; read from the scorer's model metadata when absent." }),
});

const pipelineShapeSchema = z
  .strictObject({
    name: modelNameSchema.meta({ description: 'What clients pass as `model`.' }),
    scorer: scorerSchema,
    sources: z
      .record(sourceNameSchema, sourceSchema)
      .refine((sources) => Object.keys(sources).length > 0, 'declare at least one source'),
    features: z.array(featureSpecSchema).min(1).meta({ description: 'Ordered; their columns make the model input.' }),
  })
  .superRefine((pipeline, ctx) => {
    const sourceNames = Object.keys(pipeline.sources);
    const used = new Set<string>();
    const firstIndexByName = new Map<string, number>();
    let width = 0;
    pipeline.features.forEach((feature, index) => {
      if (!Object.hasOwn(pipeline.sources, feature.source)) {
        ctx.addIssue({
          code: 'custom',
          path: ['features', index, 'source'],
          message: `unknown source "${feature.source}" (declared: ${sourceNames.join(', ')})`,
        });
      }
      used.add(feature.source);
      const first = firstIndexByName.get(feature.name);
      if (first === undefined) firstIndexByName.set(feature.name, index);
      else {
        ctx.addIssue({
          code: 'custom',
          path: ['features', index, 'name'],
          message: `duplicate feature name "${feature.name}" (also features[${first}])`,
        });
      }
      width += featureWidth(feature);
    });
    // An unused source would be fetched on every request for nothing.
    for (const name of sourceNames) {
      if (!used.has(name)) {
        ctx.addIssue({ code: 'custom', path: ['sources', name], message: 'not used by any feature' });
      }
    }
    if (width > MAX_PIPELINE_WIDTH) {
      ctx.addIssue({ code: 'custom', path: ['features'], message: `${width} columns, at most ${MAX_PIPELINE_WIDTH}` });
    }
  });

/**
 * A pipeline file: one model's feature sources, how their bodies become the ordered input row, and the scorer model
 * to call. Parses to a {@link Pipeline} with the derived `width` and `columns`.
 */
export const pipelineSchema = pipelineShapeSchema.transform((pipeline) => {
  const columns = pipeline.features.flatMap(featureColumns);
  return { ...pipeline, width: columns.length, columns };
});

/** A validated pipeline: every default filled in, `width` columns named by `columns`, deeply frozen by the loader. */
export type Pipeline = z.output<typeof pipelineSchema>;
export type ScorerTarget = Pipeline['scorer'];

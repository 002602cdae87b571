import { z } from 'zod';
import { RESERVED_KEYS } from './reserved-keys.ts';

/** Largest finite float32: anything beyond it cannot reach the model. */
export const FLOAT32_MAX = 3.4028234663852886e38;

const featureNameSchema = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9_-]{0,63}$/, 'must be a letter then letters, digits, _ or -, at most 64 characters')
  .meta({ description: 'Feature name; columns are named `name` or `name.category`.' });

const fieldPathSchema = z
  .string()
  .max(256)
  .regex(/^[^.]+(\.[^.]+)*$/, 'must be a dot path such as `a` or `a.b`')
  .refine((path) => path.split('.').every((key) => !RESERVED_KEYS.has(key)), {
    message: 'must not name __proto__, constructor or prototype',
  });

const categoriesSchema = z
  .array(z.string().min(1).max(128))
  .min(1)
  .max(10_000)
  .superRefine((categories, ctx) => {
    const seen = new Set<string>();
    categories.forEach((category, index) => {
      if (seen.has(category)) ctx.addIssue({ code: 'custom', path: [index], message: `duplicate "${category}"` });
      seen.add(category);
    });
  })
  .meta({ description: 'Vocabulary, one column each, in this order. Values outside it set no column.' });

const columnDefaultSchema = z
  .number()
  .min(-FLOAT32_MAX)
  .max(FLOAT32_MAX)
  .default(0)
  .meta({ description: 'Column value written (as is, untransformed) when the field is missing or malformed.' });

/** Fields every kind has. */
const commonShape = {
  name: featureNameSchema,
  source: z.string().meta({ description: 'Source whose body holds the field.' }),
  field: fieldPathSchema.meta({ description: 'Dot path of the value inside the source body.' }),
  default: columnDefaultSchema,
};

/** Numeric post-processing, in this order: transform, scale, clip. */
const scalingShape = {
  transform: z
    .enum(['identity', 'log1p', 'log'])
    .default('identity')
    .meta({ description: 'log1p takes log(1 + max(x, 0)); log takes log(max(x, 1e-9)).' }),
  scale: z.number().default(1).meta({ description: 'Multiplier applied after the transform.' }),
  clip: z
    .tuple([z.number(), z.number()])
    .refine(([low, high]) => low <= high, 'must be [low, high] with low <= high')
    .optional()
    .meta({ description: 'Bounds applied last; none when absent.' }),
};

const eventShape = {
  categoryField: fieldPathSchema.meta({ description: 'Dot path of the category inside each element.' }),
  categories: categoriesSchema,
};

const numberFeatureSchema = z.strictObject({
  kind: z.literal('number'),
  ...commonShape,
  ...scalingShape,
});

const oneHotFeatureSchema = z.strictObject({
  kind: z.literal('one_hot'),
  ...commonShape,
  categories: categoriesSchema,
});

const multiHotFeatureSchema = z.strictObject({
  kind: z.literal('multi_hot'),
  ...commonShape,
  categories: categoriesSchema,
});

const categoryCountsFeatureSchema = z
  .strictObject({
    kind: z.literal('category_counts'),
    ...commonShape,
    ...eventShape,
    ...scalingShape,
    ageField: fieldPathSchema.optional().meta({ description: 'Dot path of the age in days; needs windowDays.' }),
    windowDays: z
      .number()
      .gt(0)
      .max(36_500)
      .optional()
      .meta({ description: 'Count only elements younger than this; all of them when absent.' }),
  })
  .superRefine((feature, ctx) => {
    if ((feature.ageField === undefined) !== (feature.windowDays === undefined)) {
      const missing = feature.ageField === undefined ? 'ageField' : 'windowDays';
      ctx.addIssue({ code: 'custom', path: [missing], message: 'ageField and windowDays go together' });
    }
  });

const recencyWeightedCountsFeatureSchema = z.strictObject({
  kind: z.literal('recency_weighted_counts'),
  ...commonShape,
  ...eventShape,
  ...scalingShape,
  ageField: fieldPathSchema.meta({ description: 'Dot path of the age in days inside each element.' }),
  decayDays: z.number().gt(0).max(36_500).meta({ description: 'Each element weighs exp(-max(age, 0) / decayDays).' }),
});

/** One entry of `features`: how a field of a source body becomes a fixed number of columns. */
export const featureSpecSchema = z.discriminatedUnion('kind', [
  numberFeatureSchema,
  oneHotFeatureSchema,
  multiHotFeatureSchema,
  categoryCountsFeatureSchema,
  recencyWeightedCountsFeatureSchema,
]);

export type FeatureSpec = z.output<typeof featureSpecSchema>;
export type FeatureKind = FeatureSpec['kind'];
export type NumberFeatureSpec = z.output<typeof numberFeatureSchema>;
export type OneHotFeatureSpec = z.output<typeof oneHotFeatureSchema>;
export type MultiHotFeatureSpec = z.output<typeof multiHotFeatureSchema>;
export type CategoryCountsFeatureSpec = z.output<typeof categoryCountsFeatureSchema>;
export type RecencyWeightedCountsFeatureSpec = z.output<typeof recencyWeightedCountsFeatureSchema>;

/** Columns one feature contributes: 1 for a number, one per category for the others. */
export function featureWidth(feature: FeatureSpec): number {
  return feature.kind === 'number' ? 1 : feature.categories.length;
}

/** Column names of one feature, in vector order: `name` for a number, `name.category` for the others. */
export function featureColumns(feature: FeatureSpec): string[] {
  if (feature.kind === 'number') return [feature.name];
  return feature.categories.map((category) => `${feature.name}.${category}`);
}

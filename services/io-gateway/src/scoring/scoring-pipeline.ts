import type { FeatureRowWriter } from '../features/feature-vector.ts';
import type { FeatureSource } from '../upstream/feature-source.ts';

/** One pipeline, ready to serve: its sources (policies built), its compiled row writer and its scorer target. */
export type ScoringPipeline = {
  name: string;
  sources: readonly FeatureSource[];
  writeRow: FeatureRowWriter;
  width: number;
  target: { model: string; version?: string | undefined; input: string; output: string };
  /** From the pipeline file; otherwise read from the scorer's model metadata. */
  labels: readonly string[] | undefined;
};

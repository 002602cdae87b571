import { GatewayError } from '../errors.ts';
import type { CallContext } from '../upstream/feature-source.ts';
import type { ScorerClient } from '../upstream/scorer-client.ts';
import type { ScoringPipeline } from './scoring-pipeline.ts';

/** What the gateway needs to know about a pipeline's model: output labels and rows per scorer call. */
export type ModelInfo = { labels: readonly string[]; maxBatchSize: number };

/**
 * Reads a pipeline's model metadata from the scorer on first use and keeps it. A failed read is not kept, so the
 * next request tries again: the gateway starts and stays ready while the scorer is down.
 */
export function createModelInfo(pipeline: ScoringPipeline, scorer: ScorerClient) {
  let known: ModelInfo | undefined;
  let pending: Promise<ModelInfo> | undefined;
  const read = async (context: CallContext): Promise<ModelInfo> => {
    const metadata = await scorer.metadata(pipeline.target.model, pipeline.target.version, context);
    const output = metadata.outputs.find((o) => o.name === pipeline.target.output);
    const columns = output?.shape[1];
    const fromModel = (metadata.parameters?.['labels'] as Record<string, string[]> | undefined)?.[
      pipeline.target.output
    ];
    const labels =
      pipeline.labels ??
      fromModel ??
      Array.from({ length: columns !== undefined && columns > 0 ? columns : 0 }, (_, i) => String(i));
    const maxBatchSize = metadata.parameters?.['max_batch_size'];
    return { labels, maxBatchSize: typeof maxBatchSize === 'number' && maxBatchSize > 0 ? maxBatchSize : 1 };
  };
  return (context: CallContext): Promise<ModelInfo> => {
    if (known !== undefined) return Promise.resolve(known);
    pending ??= read(context).then(
      (info) => {
        known = info;
        pending = undefined;
        return info;
      },
      (error: unknown) => {
        pending = undefined;
        throw error;
      },
    );
    return pending;
  };
}

/** Pairs each output column with its label, highest score first, cut to `topK`. */
export function rankScores(row: Float32Array, labels: readonly string[], topK: number | undefined) {
  if (labels.length !== row.length) {
    throw new GatewayError('INTERNAL', 500, `the model gives ${row.length} scores for ${labels.length} labels`);
  }
  const ranked = Array.from(row, (score, i) => ({ label: labels[i]!, score }));
  ranked.sort((a, b) => b.score - a.score);
  return topK === undefined ? ranked : ranked.slice(0, topK);
}

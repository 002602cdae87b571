import type { EntityScores } from '@splitserve/contracts';
import { GatewayError, toGatewayError } from '../errors.ts';
import type { CallContext } from '../upstream/feature-source.ts';
import type { ScorerClient } from '../upstream/scorer-client.ts';
import { isUpstreamError } from '../upstream/upstream-error.ts';
import { rankScores, type ModelInfo } from './model-info.ts';
import type { ScoringPipeline } from './scoring-pipeline.ts';

type Gathered = { raw: Record<string, unknown>; degraded: string[] };

/** One entity's outcome: its scores, or the error that stopped it (rendered by the route). */
export type ScoredEntity = EntityScores | { entityId: string; error: GatewayError };

export type ScoreOptions = {
  topK: number | undefined;
  /** Entities whose features are fetched at once (each fetches every source in parallel). */
  fetchConcurrency: number;
  modelInfo: (context: CallContext) => Promise<ModelInfo>;
  onDegraded?: (source: string) => void;
};

/**
 * Scores entities through a pipeline: fetches every source of each entity in parallel (optional sources fall back
 * to their defaults), builds the feature rows, scores them in as few scorer calls as the model's batch limit
 * allows, and ranks the labels. Returns one item per entity, in order: its scores, or the problem that stopped it.
 */
export async function scoreEntities(
  pipeline: ScoringPipeline,
  scorer: ScorerClient,
  entityIds: readonly string[],
  context: CallContext,
  options: ScoreOptions,
): Promise<ScoredEntity[]> {
  // With the scorer's circuit open, fetching features would only delay the 503 and load the sources for nothing.
  const refusal = scorer.refusal();
  if (refusal !== undefined) return entityIds.map((id) => failed(id, toGatewayError(refusal)));
  const gathered = await mapConcurrently(entityIds, options.fetchConcurrency, (entityId) =>
    gather(pipeline, entityId, context, options.onDegraded).catch((error: unknown) => toGatewayError(error)),
  );
  const ready: number[] = [];
  gathered.forEach((g, i) => {
    if (!(g instanceof Error)) ready.push(i);
  });
  const scored = new Map<number, ScoredEntity>();
  if (ready.length > 0) {
    let info: ModelInfo;
    try {
      info = await options.modelInfo(context);
    } catch (error) {
      const problem = toGatewayError(error);
      for (const i of ready) scored.set(i, failed(entityIds[i]!, problem));
      return entityIds.map((id, i) => scored.get(i) ?? failed(id, gathered[i] as GatewayError));
    }
    const chunks: number[][] = [];
    for (let start = 0; start < ready.length; start += info.maxBatchSize) {
      chunks.push(ready.slice(start, start + info.maxBatchSize));
    }
    await Promise.all(chunks.map((chunk) => scoreChunk(chunk)));

    async function scoreChunk(chunk: number[]): Promise<void> {
      const data = new Float32Array(chunk.length * pipeline.width);
      chunk.forEach((entity, row) => pipeline.writeRow((gathered[entity] as Gathered).raw, data, row * pipeline.width));
      try {
        const output = await scorer.infer(
          pipeline.target,
          { data, rows: chunk.length, columns: pipeline.width },
          context,
        );
        chunk.forEach((entity, row) => {
          const scores = output.data.subarray(row * output.columns, (row + 1) * output.columns);
          scored.set(entity, {
            entityId: entityIds[entity]!,
            model: pipeline.name,
            modelVersion: output.modelVersion ?? pipeline.target.version ?? 'unknown',
            scores: rankScores(scores, info.labels, options.topK),
            degraded: (gathered[entity] as Gathered).degraded,
          });
        });
      } catch (error) {
        const problem = toGatewayError(error);
        for (const entity of chunk) scored.set(entity, failed(entityIds[entity]!, problem));
      }
    }
  }
  return entityIds.map((id, i) => scored.get(i) ?? failed(id, gathered[i] as GatewayError));
}

async function gather(
  pipeline: ScoringPipeline,
  entityId: string,
  context: CallContext,
  onDegraded: ((source: string) => void) | undefined,
): Promise<Gathered> {
  const raw: Record<string, unknown> = {};
  const degraded: string[] = [];
  // A required source's failure decides the entity the moment it arrives: waiting for slower sources would only
  // delay the answer (a 503 from an open circuit would take as long as the slowest source). Their calls are left to
  // finish within their own limits, unobserved, rather than aborted, which a breaker's trial call would count as a
  // failure.
  const results = await Promise.all(
    pipeline.sources.map((source) =>
      source.fetch(entityId, context).then(
        (value) => ({ source, ok: true as const, value }),
        (reason: unknown) => {
          if (!source.required) return { source, ok: false as const, reason };
          if (isUpstreamError(reason) && reason.status === 404) {
            throw new GatewayError('ENTITY_NOT_FOUND', 404, `${source.name} knows no entity '${entityId}'`, {
              dependency: source.name,
            });
          }
          throw reason;
        },
      ),
    ),
  );
  for (const result of results) {
    const source = result.source;
    if (result.ok) {
      raw[source.name] = result.value;
      continue;
    }
    if (isUpstreamError(result.reason) && result.reason.failure === 'deadline') throw result.reason;
    raw[source.name] = source.defaults;
    degraded.push(source.name);
    onDegraded?.(source.name);
  }
  return { raw, degraded };
}

function failed(entityId: string, error: GatewayError): ScoredEntity {
  return { entityId, error };
}

async function mapConcurrently<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  if (items.length === 1) return [await fn(items[0]!)];
  const results = new Array<R>(items.length);
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  return results;
}

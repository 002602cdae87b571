import type { Pool } from 'undici';
import type { GatewayConfig } from './config.ts';
import { compileFeatureRowWriter } from './features/feature-vector.ts';
import type { Pipeline } from './features/pipeline-schema.ts';
import type { GatewayMetrics } from './observability/metrics.ts';
import { createModelInfo, type ModelInfo } from './scoring/model-info.ts';
import type { ScoringPipeline } from './scoring/scoring-pipeline.ts';
import { createDependency } from './upstream/dependency.ts';
import type { CallContext, FeatureSource } from './upstream/feature-source.ts';
import { createHttpPool } from './upstream/http-pool.ts';
import { createHttpSource } from './upstream/http-source.ts';
import { googleIdTokenAuth } from './upstream/id-token.ts';
import { createScorerClient, type ScorerClient } from './upstream/scorer-client.ts';

/** A pipeline ready to serve, with its model's metadata (read lazily from the scorer). */
export type ServedPipeline = { pipeline: ScoringPipeline; modelInfo: (context: CallContext) => Promise<ModelInfo> };

/** Everything that scores: pipelines by name, the scorer client, and the pools to close on shutdown. */
export type Scoring = {
  pipelines: ReadonlyMap<string, ServedPipeline>;
  defaultPipeline: string;
  scorer: ScorerClient;
  close(): Promise<void>;
};

/**
 * Builds every dependency once from the configuration: one connection pool per origin, one set of policies per
 * source and for the scorer, shared by all requests. `codeSources` adds sources written in code (by name), which
 * replace or extend the HTTP ones.
 */
export function buildScoring(
  config: GatewayConfig,
  metrics: GatewayMetrics,
  codeSources: readonly FeatureSource[] = [],
): Scoring {
  const pools = new Map<string, Pool>();
  const poolFor = (origin: string, connections: number) => {
    let pool = pools.get(origin);
    if (pool === undefined) {
      pool = createHttpPool(origin, connections);
      pools.set(origin, pool);
    }
    return pool;
  };
  const scorer = createScorerClient({
    dispatcher: poolFor(config.scorer.url, config.scorer.connections),
    dependency: createDependency('scorer', config.scorer.policy, metrics.observerFor('scorer')),
    ...(config.scorer.auth.kind === 'google-id-token' && { auth: googleIdTokenAuth(config.scorer.auth) }),
  });
  const pipelines = new Map<string, ServedPipeline>();
  for (const pipeline of config.pipelines) {
    const served: ScoringPipeline = {
      name: pipeline.name,
      sources: buildSources(pipeline, codeSources, poolFor, metrics),
      writeRow: compileFeatureRowWriter(pipeline),
      width: pipeline.width,
      target: pipeline.scorer,
      labels: pipeline.scorer.labels,
    };
    pipelines.set(pipeline.name, { pipeline: served, modelInfo: createModelInfo(served, scorer) });
  }
  return {
    pipelines,
    defaultPipeline: config.pipelines[0]!.name,
    scorer,
    close: async () => {
      await Promise.all([...pools.values()].map((pool) => pool.close()));
    },
  };
}

function buildSources(
  pipeline: Pipeline,
  codeSources: readonly FeatureSource[],
  poolFor: (origin: string, connections: number) => Pool,
  metrics: GatewayMetrics,
): FeatureSource[] {
  return Object.entries(pipeline.sources).map(([name, source]) => {
    const inCode = codeSources.find((s) => s.name === name);
    if (inCode !== undefined) return inCode;
    return createHttpSource({
      name,
      required: source.required,
      defaults: source.defaults ?? {},
      path: source.path,
      dispatcher: poolFor(source.baseUrl, source.connections),
      dependency: createDependency(
        name,
        { ...source, retryBudget: { ratio: 0.2, minPerSecond: 1 } },
        metrics.observerFor(name),
      ),
      onCoalesced: () => metrics.coalesced(name),
    });
  });
}

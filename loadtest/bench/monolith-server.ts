// The monolith of the seed's comparison: the gateway's own Hono app (same config, routes, sources, policies and
// feature pipeline) with its scorer client replaced by an onnxruntime session on the same event loop
// (monolith-scorer.ts). Reads the gateway's variables plus MONOLITH_MODEL_REPOSITORY (the folder holding the
// pipeline's model); logs the gateway's one-line JSON `listening`, so the harness starts both alike.
import { once } from 'node:events';
import type { Server } from 'node:http';
import { serve } from '@hono/node-server';
import { createLifecycle, createLogger, drainOnSignals } from '@splitserve/service-kit';
import { createApp } from '../../services/io-gateway/src/app.ts';
import { buildScoring, type Scoring } from '../../services/io-gateway/src/build-scoring.ts';
import { loadConfig } from '../../services/io-gateway/src/config.ts';
import { createGatewayMetrics } from '../../services/io-gateway/src/observability/metrics.ts';
import { createModelInfo } from '../../services/io-gateway/src/scoring/model-info.ts';
import { createInProcessScorer } from './monolith-scorer.ts';

const repository = process.env['MONOLITH_MODEL_REPOSITORY'];
if (repository === undefined) throw new Error('MONOLITH_MODEL_REPOSITORY is not set');
const config = await loadConfig(process.env);
const logger = createLogger({ level: config.logLevel, service: 'monolith' });
const metrics = createGatewayMetrics();
const overHttp = buildScoring(config, metrics);
const model = config.pipelines[0]!.scorer.model;
const scorer = await createInProcessScorer(repository, model);
// The same pipelines (sources, policies, row writers); only the scorer behind them changes.
const scoring: Scoring = {
  pipelines: new Map(
    [...overHttp.pipelines].map(([name, served]) => [
      name,
      { pipeline: served.pipeline, modelInfo: createModelInfo(served.pipeline, scorer) },
    ]),
  ),
  defaultPipeline: overHttp.defaultPipeline,
  scorer,
  close: async () => {
    await Promise.all([overHttp.close(), scorer.close()]);
  },
};
const lifecycle = createLifecycle();
const app = createApp({
  scoring,
  metrics,
  logger,
  lifecycle,
  limits: config,
  apiKeys: config.apiKeys,
  serverVersion: 'monolith',
  projectId: config.projectId,
});

const server = serve({ fetch: app.fetch, port: config.port, hostname: config.host }) as Server;
await once(server, 'listening');
logger.info({ address: server.address(), model, repository }, 'listening');
drainOnSignals({ server, lifecycle, logger, timeoutMs: config.shutdownTimeoutMs, close: () => scoring.close() });

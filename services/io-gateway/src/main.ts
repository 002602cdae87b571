import { once } from 'node:events';
import type { Server } from 'node:http';
import { serve } from '@hono/node-server';
import { createLifecycle, createLogger, drainOnSignals } from '@splitserve/service-kit';
import { createApp } from './app.ts';
import { buildScoring } from './build-scoring.ts';
import { loadConfig } from './config.ts';
import { EventLoopPressure } from './observability/event-loop-pressure.ts';
import { createGatewayMetrics } from './observability/metrics.ts';
import packageJson from '../package.json' with { type: 'json' };

const config = await loadConfig(process.env);
const logger = createLogger({ level: config.logLevel, service: 'io-gateway' });
const metrics = createGatewayMetrics();
// Sources written in code go here: buildScoring(config, metrics, [mySource]). See README, "Sources in code".
const scoring = buildScoring(config, metrics);
const lifecycle = createLifecycle();
const pressure = config.shedEventLoopLagMs > 0 ? new EventLoopPressure(config.shedEventLoopLagMs) : undefined;
const app = createApp({
  scoring,
  metrics,
  logger,
  lifecycle,
  pressure,
  faultInjection: config.faultInjection,
  limits: config,
  apiKeys: config.apiKeys,
  serverVersion: packageJson.version,
  projectId: config.projectId,
});

const server = serve({ fetch: app.fetch, port: config.port, hostname: config.host }) as Server;
await once(server, 'listening');
logger.info(
  {
    address: server.address(),
    models: config.pipelines.map((p) => p.name),
    scorer: config.scorer.url,
    apiKeys: config.apiKeys.length,
  },
  'listening',
);

drainOnSignals({ server, lifecycle, logger, timeoutMs: config.shutdownTimeoutMs, close: () => scoring.close() });

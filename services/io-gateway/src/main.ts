import { once } from 'node:events';
import type { Server } from 'node:http';
import { serve } from '@hono/node-server';
import { createLogger } from '@splitserve/observability';
import { createApp } from './app.ts';
import { buildScoring } from './build-scoring.ts';
import { loadConfig } from './config.ts';
import { createGatewayMetrics } from './observability/metrics.ts';
import packageJson from '../package.json' with { type: 'json' };

const config = await loadConfig(process.env);
const logger = createLogger({ level: config.logLevel, service: 'io-gateway' });
const metrics = createGatewayMetrics();
// Sources written in code go here: buildScoring(config, metrics, [mySource]). See README, "Sources in code".
const scoring = buildScoring(config, metrics);
const lifecycle = { draining: false, inFlight: 0 };
const app = createApp({
  scoring,
  metrics,
  logger,
  lifecycle,
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

async function shutdown(signal: string): Promise<void> {
  if (lifecycle.draining) return;
  lifecycle.draining = true;
  logger.info({ signal, inFlight: lifecycle.inFlight }, 'draining');
  setTimeout(() => {
    logger.error({ inFlight: lifecycle.inFlight }, 'drain timed out; exiting with requests unfinished');
    process.exit(1);
  }, config.shutdownTimeoutMs).unref();
  const closed = once(server, 'close');
  server.close();
  while (lifecycle.inFlight > 0) {
    server.closeIdleConnections();
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  server.closeIdleConnections();
  await closed;
  await scoring.close();
  logger.info('drained');
}

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    shutdown(signal).then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  });
}

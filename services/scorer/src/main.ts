import { once } from 'node:events';
import { serve } from '@hono/node-server';
import type { Server } from 'node:http';
import { createApp } from './app.ts';
import { loadConfig } from './config.ts';
import { ModelRegistry } from './models/model-registry.ts';
import { readModelRepository } from './models/model-repository.ts';
import { createLogger } from '@splitserve/observability';
import { createScorerMetrics } from './observability/metrics.ts';
import packageJson from '../package.json' with { type: 'json' };

const spawnedAt = performance.now();
const config = loadConfig(process.env);
const logger = createLogger({ level: config.logLevel, service: 'scorer' });
const metrics = createScorerMetrics();
const registry = new ModelRegistry(await readModelRepository(config.modelRepository), {
  defaults: config.modelDefaults,
  observersFor: metrics.observersFor,
});
const lifecycle = { draining: false };
const app = createApp({
  registry,
  metrics,
  logger,
  lifecycle,
  limits: config,
  faultInjection: config.faultInjection,
  serverVersion: packageJson.version,
  projectId: config.projectId,
});

// Listen before loading, so liveness answers while models load; readiness waits for them.
const server = serve({ fetch: app.fetch, port: config.port, hostname: config.host }) as Server;
await once(server, 'listening');
const address = server.address();
logger.info({ address, faultInjection: config.faultInjection }, 'listening');

try {
  await registry.start();
} catch (error) {
  logger.fatal({ err: error }, 'cannot load the model repository');
  process.exit(1);
}
logger.info(
  { models: registry.all().map((m) => `${m.name}/${m.version}`), startupMs: Math.round(performance.now() - spawnedAt) },
  'ready',
);

async function shutdown(signal: string): Promise<void> {
  if (lifecycle.draining) return;
  lifecycle.draining = true;
  logger.info({ signal }, 'draining');
  setTimeout(() => {
    logger.error({ timeoutMs: config.shutdownTimeoutMs }, 'drain timed out; exiting with work unfinished');
    process.exit(1);
  }, config.shutdownTimeoutMs).unref();
  await registry.idle();
  const closed = once(server, 'close');
  server.close();
  server.closeIdleConnections();
  await closed;
  await registry.close();
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

import { once } from 'node:events';
import { serve } from '@hono/node-server';
import type { Server } from 'node:http';
import { createApp } from './app.ts';
import { loadConfig } from './config.ts';
import { ModelRegistry } from './models/model-registry.ts';
import { readModelRepository } from './models/model-repository.ts';
import { createLifecycle, createLogger, drainOnSignals } from '@splitserve/service-kit';
import { createScorerMetrics } from './observability/metrics.ts';
import packageJson from '../package.json' with { type: 'json' };

const config = loadConfig(process.env);
const logger = createLogger({ level: config.logLevel, service: 'scorer' });
const metrics = createScorerMetrics();
const registry = new ModelRegistry(await readModelRepository(config.modelRepository), {
  defaults: config.modelDefaults,
  observersFor: (name, version) => metrics.forModel(name, version).observers,
});
const lifecycle = createLifecycle();
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

drainOnSignals({
  server,
  lifecycle,
  logger,
  timeoutMs: config.shutdownTimeoutMs,
  close: async () => {
    await registry.idle();
    await registry.close();
  },
});

try {
  await registry.start();
} catch (error) {
  logger.fatal({ err: error }, 'cannot load the model repository');
  process.exit(1);
}
logger.info(
  {
    models: registry.all().map((m) => `${m.name}/${m.version}`),
    startupMs: Math.round(performance.now()) /* since the process started */,
  },
  'ready',
);

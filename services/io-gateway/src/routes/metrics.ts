import { Hono } from 'hono';
import type { GatewayDeps, GatewayEnv } from '../app.ts';

/** `GET /metrics` in the Prometheus text format. */
export function createMetricsRoutes(deps: Pick<GatewayDeps, 'metrics'>) {
  return new Hono<GatewayEnv>().get('/metrics', async (c) => {
    c.header('content-type', deps.metrics.registry.contentType);
    return c.body(await deps.metrics.registry.metrics());
  });
}

import { Hono } from 'hono';
import type { ScorerDeps, ScorerEnv } from '../app.ts';

/** `GET /metrics` in the Prometheus text format. */
export function createMetricsRoutes(deps: Pick<ScorerDeps, 'metrics'>) {
  return new Hono<ScorerEnv>().get('/metrics', async (c) => {
    c.header('content-type', deps.metrics.registry.contentType);
    return c.body(await deps.metrics.registry.metrics());
  });
}

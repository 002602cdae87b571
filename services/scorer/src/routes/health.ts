import { Hono } from 'hono';
import type { ScorerDeps, ScorerEnv } from '../app.ts';

/**
 * `GET /v2/health/live`: the process answers (always, even while every worker is busy).
 * `GET /v2/health/ready`: every model loaded, warmed and with a live worker, and not shutting down.
 */
export function createHealthRoutes(deps: Pick<ScorerDeps, 'registry' | 'lifecycle'>) {
  return new Hono<ScorerEnv>()
    .get('/v2/health/live', (c) => c.json({ live: true }))
    .get('/v2/health/ready', (c) => {
      const ready = !deps.lifecycle.draining && deps.registry.ready;
      return c.json({ ready }, ready ? 200 : 503);
    });
}

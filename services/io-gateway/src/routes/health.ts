import { Hono } from 'hono';
import type { GatewayDeps, GatewayEnv } from '../app.ts';

/**
 * `GET /healthz`: the process answers. `GET /readyz`: configured and not draining. Readiness deliberately ignores
 * the health of dependencies: failing it when the scorer is down would only spread the outage.
 */
export function createHealthRoutes(deps: Pick<GatewayDeps, 'lifecycle'>) {
  return new Hono<GatewayEnv>()
    .get('/healthz', (c) => c.json({ live: true }))
    .get('/readyz', (c) => {
      const ready = !deps.lifecycle.draining;
      return c.json({ ready }, ready ? 200 : 503);
    });
}

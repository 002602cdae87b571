import { Hono } from 'hono';
import type { HttpBindings } from '@hono/node-server';
import type { BehaviourControl } from './behaviour/behaviour-control.ts';
import type { Stats } from './behaviour/stats.ts';
import type { SourceKind } from './data/source-kinds.ts';
import { isMockSourceError } from './errors.ts';
import { createAdminRoutes } from './routes/admin.ts';
import { createDataRoutes } from './routes/data.ts';
import { createHealthRoutes } from './routes/health.ts';

/** Everything the HTTP layer needs, built by main.ts (or a test). */
export type MockSourceDeps = {
  /** Which external service this process stands in for. */
  source: SourceKind;
  behaviour: BehaviourControl;
  stats: Stats;
};

/** The failure modes reach below `Response` (resets, short bodies), so the app runs on @hono/node-server only. */
export type MockSourceEnv = { Bindings: HttpBindings };

/**
 * A mock external feature service: one data route for `deps.source`, `/healthz`, and the `/_admin` controls. Every
 * error answer is `{"error": message}`.
 */
export function createApp(deps: MockSourceDeps): Hono<MockSourceEnv> {
  const app = new Hono<MockSourceEnv>();
  app.route('/', createHealthRoutes());
  app.route('/', createAdminRoutes(deps));
  app.route('/', createDataRoutes(deps));
  app.notFound((c) => c.json({ error: `no route for ${c.req.method} ${c.req.path}` }, 404));
  app.onError((error, c) => {
    if (isMockSourceError(error)) return c.json({ error: error.message }, error.status);
    console.error(error);
    return c.json({ error: 'internal error' }, 500);
  });
  return app;
}

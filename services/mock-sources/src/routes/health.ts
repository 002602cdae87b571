import { Hono } from 'hono';
import type { MockSourceEnv } from '../app.ts';

/** `GET /healthz`: 200 `{"ok":true}` at once, whatever the behaviour, and not counted in the stats. */
export function createHealthRoutes() {
  return new Hono<MockSourceEnv>().get('/healthz', (c) => c.json({ ok: true }));
}

import { Hono } from 'hono';
import type { MockSourceDeps, MockSourceEnv } from '../app.ts';
import { behaviourPatchSchema } from '../behaviour/behaviour.ts';
import { badRequest } from '../errors.ts';

/**
 * The test controls, never delayed or failed by the behaviour they set:
 * `GET|PUT|DELETE /_admin/behaviour` (read, change some fields, back to the start-up defaults) and
 * `GET|DELETE /_admin/stats` (read, zero). Each answers the resulting state.
 */
export function createAdminRoutes(deps: Pick<MockSourceDeps, 'behaviour' | 'stats'>) {
  return new Hono<MockSourceEnv>()
    .get('/_admin/behaviour', (c) => c.json(deps.behaviour.current()))
    .put('/_admin/behaviour', async (c) => {
      let body: unknown;
      try {
        body = await c.req.json();
      } catch {
        throw badRequest('the body must be a JSON object');
      }
      const parsed = behaviourPatchSchema.safeParse(body);
      if (!parsed.success) {
        const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || 'body'}: ${issue.message}`);
        throw badRequest(problems.join('; '));
      }
      return c.json(deps.behaviour.update(parsed.data));
    })
    .delete('/_admin/behaviour', (c) => c.json(deps.behaviour.reset()))
    .get('/_admin/stats', (c) => c.json(deps.stats.snapshot()))
    .delete('/_admin/stats', (c) => {
      deps.stats.reset();
      return c.json(deps.stats.snapshot());
    });
}

import { Hono } from 'hono';
import type { ScorerDeps, ScorerEnv } from '../app.ts';
import { invalidInput } from '../errors.ts';

/**
 * Test-only, mounted when `SCORER_FAULT_INJECTION` is on: `POST /debug/models/{name}/kill-next-batch?how=exit|throw`
 * makes the worker that takes the model's next batch die while holding it.
 */
export function createFaultRoutes(deps: Pick<ScorerDeps, 'registry'>) {
  return new Hono<ScorerEnv>().post('/debug/models/:name/kill-next-batch', (c) => {
    const how = c.req.query('how') ?? 'exit';
    if (how !== 'exit' && how !== 'throw')
      throw invalidInput(`how must be exit or throw, got '${how}'`, 'INVALID_REQUEST');
    deps.registry.resolve(c.req.param('name')).armFault(how);
    return c.json({ armed: how });
  });
}

import { Hono } from 'hono';
import type { GatewayEnv } from '../app.ts';
import { GatewayError } from '../errors.ts';

const MAX_BLOCK_MS = 5_000;

/**
 * Test-only, mounted when `GATEWAY_FAULT_INJECTION` is on: `POST /debug/block?ms=N` keeps the event loop busy for N
 * milliseconds, as a CPU-bound stretch or an overloaded instance would, so that load shedding can be tested.
 */
export function createFaultRoutes() {
  return new Hono<GatewayEnv>().post('/debug/block', (c) => {
    const ms = Number(c.req.query('ms'));
    if (!Number.isInteger(ms) || ms < 0 || ms > MAX_BLOCK_MS) {
      throw new GatewayError('INVALID_REQUEST', 400, `ms must be an integer from 0 to ${MAX_BLOCK_MS}`);
    }
    const until = performance.now() + ms;
    while (performance.now() < until);
    return c.json({ blockedMs: ms });
  });
}

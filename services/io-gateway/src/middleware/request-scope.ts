import type { MiddlewareHandler } from 'hono';
import { assignRequestId, countInFlight } from '@splitserve/service-kit';
import type { GatewayDeps, GatewayEnv } from '../app.ts';
import { setSecureHeaders } from './secure-headers.ts';

/**
 * What every request goes through, as one middleware: a probe of the event loop's lag (for load shedding), its id,
 * the static security headers, the in-flight count the drain waits for, and its duration and status in the metrics. One middleware rather than four because each costs
 * an async frame and promises per request, and the gateway's CPU per request is what it is measured by.
 */
export function requestScope(
  deps: Pick<GatewayDeps, 'lifecycle' | 'metrics' | 'pressure'>,
): MiddlewareHandler<GatewayEnv> {
  return async function scopeRequest(c, next) {
    const started = performance.now();
    deps.pressure?.probe();
    assignRequestId(c);
    const finishHeaders = setSecureHeaders(c);
    await countInFlight(deps.lifecycle, c, next);
    finishHeaders?.(c);
    deps.metrics.requestFinished(c.req.routePath, c.res.status, (performance.now() - started) / 1000);
  };
}

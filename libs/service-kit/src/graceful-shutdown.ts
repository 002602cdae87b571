import { once } from 'node:events';
import type { Server } from 'node:http';
import type { Context, MiddlewareHandler } from 'hono';
import type { Logger } from 'pino';

/**
 * A service's state as its HTTP layer reads it: `draining` from SIGTERM on (readiness fails, answers close their
 * connection), `refusing` new work once the late-arrival grace has passed, and the requests not yet answered.
 */
export type Lifecycle = { draining: boolean; refusing: boolean; inFlight: number };

export function createLifecycle(): Lifecycle {
  return { draining: false, refusing: false, inFlight: 0 };
}

/**
 * How long after SIGTERM a request that arrives is still served. The platform stops routing to the instance when it
 * sends the signal, so what arrives now was sent before it: in transit, or queued behind a starved event loop.
 */
export const LATE_ARRIVAL_GRACE_MS = 300;

/**
 * Counts requests in flight, and while draining asks every client to close its connection after the answer, so that
 * no client sends a new request on a connection the server is about to close.
 */
export function inFlightTracker(lifecycle: Lifecycle): MiddlewareHandler {
  return function trackInFlight(c, next) {
    return countInFlight(lifecycle, c, next);
  };
}

/** {@link inFlightTracker}'s work, for a middleware that does more around the same `next()`. */
export async function countInFlight(lifecycle: Lifecycle, c: Context, next: () => Promise<void>): Promise<void> {
  lifecycle.inFlight++;
  try {
    await next();
  } finally {
    lifecycle.inFlight--;
    if (lifecycle.draining) c.header('connection', 'close');
  }
}

/**
 * On SIGTERM or SIGINT: marks the lifecycle draining (readiness fails), serves what still arrives for
 * `LATE_ARRIVAL_GRACE_MS`, then refuses new requests with the service's 503, waits for requests in flight, closes the
 * server, runs `close` (pools, workers) and exits 0. Exits 1 if all that takes longer than `timeoutMs` (Cloud Run
 * allows 10 s after SIGTERM).
 */
export function drainOnSignals(options: {
  server: Server;
  lifecycle: Lifecycle;
  logger: Logger;
  timeoutMs: number;
  close: () => Promise<void>;
}): void {
  const { server, lifecycle, logger } = options;
  const drain = async (signal: string) => {
    lifecycle.draining = true;
    logger.info({ signal, inFlight: lifecycle.inFlight }, 'draining');
    setTimeout(() => {
      logger.error({ inFlight: lifecycle.inFlight }, 'drain timed out; exiting with requests unfinished');
      process.exit(1);
    }, options.timeoutMs).unref();
    await new Promise((resolve) => setTimeout(resolve, LATE_ARRIVAL_GRACE_MS));
    lifecycle.refusing = true;
    // Keep listening until the work in flight is done: a request that still arrives gets the service's
    // shutting-down answer (503) instead of a refused connection.
    while (lifecycle.inFlight > 0) await new Promise((resolve) => setTimeout(resolve, 5));
    const closed = once(server, 'close');
    server.close();
    server.closeIdleConnections();
    // A connection still open now carries no request: one that raced the last answer gets a short grace.
    setTimeout(() => server.closeAllConnections(), 1_000).unref();
    await closed;
    await options.close();
    logger.info('drained');
  };
  let draining = false;
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, () => {
      if (draining) return;
      draining = true;
      drain(signal).then(
        () => process.exit(0),
        (error: unknown) => {
          logger.error({ err: error }, 'shutdown failed');
          process.exit(1);
        },
      );
    });
  }
}

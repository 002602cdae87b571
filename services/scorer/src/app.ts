import { Hono } from 'hono';
import type { Logger } from '@splitserve/service-kit';
import { isScorerError, ScorerError } from './errors.ts';
import type { ModelRegistry } from './models/model-registry.ts';
import { inFlightTracker, requestId, traceField, type Lifecycle } from '@splitserve/service-kit';
import type { ScorerMetrics } from './observability/metrics.ts';
import { createFaultRoutes } from './routes/fault.ts';
import { createHealthRoutes } from './routes/health.ts';
import { createInferRoutes } from './routes/infer.ts';
import { createMetadataRoutes } from './routes/metadata.ts';
import { createMetricsRoutes } from './routes/metrics.ts';
import { HEADER, type ScorerErrorBody } from '@splitserve/contracts';

/** Everything the HTTP layer needs, built by main.ts (or a test). */
export type ScorerDeps = {
  registry: ModelRegistry;
  metrics: ScorerMetrics;
  logger: Logger;
  /** `refusing` is read on every inference request, `draining` by readiness; `inFlight` is kept by the app. */
  lifecycle: Lifecycle;
  limits: { maxBodyBytes: number; defaultTimeoutMs: number; maxTimeoutMs: number };
  /** Mounts the test-only worker-killing route. Never enable in production. */
  faultInjection: boolean;
  serverVersion: string;
  /** Google Cloud project, to link log lines to traces; undefined outside Cloud Run. */
  projectId: string | undefined;
};

export type ScorerEnv = { Variables: { requestId: string } };

/**
 * The scorer's HTTP app: the Open Inference Protocol v2 REST routes, `/metrics`, and one error renderer that turns
 * every failure into `{"error", "code"}` with the status Triton and KServe clients expect.
 */
export function createApp(deps: ScorerDeps): Hono<ScorerEnv> {
  const app = new Hono<ScorerEnv>();
  app.use(requestId());
  app.use(inFlightTracker(deps.lifecycle));
  app.route('/', createHealthRoutes(deps));
  app.route('/', createMetadataRoutes(deps));
  app.route('/', createInferRoutes(deps));
  app.route('/', createMetricsRoutes(deps));
  if (deps.faultInjection) app.route('/', createFaultRoutes(deps));

  app.notFound((c) => c.json({ error: `no route for ${c.req.method} ${c.req.path}`, code: 'ROUTE_NOT_FOUND' }, 404));
  app.onError((error, c) => {
    const known = isScorerError(error) ? error : new ScorerError('INTERNAL', 500, 'internal error', { cause: error });
    if (known.status >= 500) {
      const trace = traceField(
        { traceparent: c.req.header('traceparent'), cloudTraceContext: c.req.header('x-cloud-trace-context') },
        deps.projectId,
      );
      const log = deps.logger.child({ requestId: c.get('requestId'), ...trace });
      if (known.code === 'INTERNAL') log.error({ err: error }, 'unhandled error');
      else log.warn({ code: known.code, cause: known.cause }, known.message);
    }
    if (known.retryAfterS !== undefined) c.header(HEADER.retryAfter, String(known.retryAfterS));
    const body: ScorerErrorBody = { error: known.message, code: known.code };
    return c.json(body, known.status);
  });
  return app;
}

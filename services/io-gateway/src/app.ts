import { Hono, type Context } from 'hono';
import { requestHeader, traceField, type Lifecycle, type Logger } from '@splitserve/service-kit';
import type { Scoring } from './build-scoring.ts';
import { GatewayError, toGatewayError } from './errors.ts';
import { apiKey } from './middleware/api-key.ts';
import { requestScope } from './middleware/request-scope.ts';
import type { GatewayMetrics } from './observability/metrics.ts';
import { createHealthRoutes } from './routes/health.ts';
import { createMetricsRoutes } from './routes/metrics.ts';
import { createOpenApiRoutes } from './routes/openapi.ts';
import { createFaultRoutes } from './routes/fault.ts';
import { createScoreRoutes } from './routes/score.ts';
import { HEADER } from '@splitserve/contracts';

/** Everything the HTTP layer needs, built by main.ts (or a test). */
export type GatewayDeps = {
  scoring: Scoring;
  metrics: GatewayMetrics;
  logger: Logger;
  /** `draining` is read by readiness, `refusing` on every /v1 request; `inFlight` is kept by the app for the drain. */
  lifecycle: Lifecycle;
  /**
   * Whether the event loop is saturated, so that new work is turned away, measured by probes that requests send
   * through the loop (see observability/event-loop-pressure.ts); absent when the gateway never sheds.
   */
  pressure?: { readonly saturated: boolean; probe(): void } | undefined;
  /** Mounts the test-only route that blocks the event loop (see routes/fault.ts). */
  faultInjection?: boolean;
  limits: { requestTimeoutMs: number; maxBodyBytes: number; batchMaxEntities: number; batchFetchConcurrency: number };
  apiKeys: readonly string[];
  serverVersion: string;
  projectId: string | undefined;
};

export type GatewayEnv = { Variables: { requestId: string } };

/**
 * The gateway's HTTP app: `/v1` scoring behind optional API keys and a body limit, health, metrics and the
 * OpenAPI document; one error renderer for RFC 9457 problem details.
 */
export function createApp(deps: GatewayDeps): Hono<GatewayEnv> {
  const app = new Hono<GatewayEnv>();
  app.use(requestScope(deps));
  app.use('/v1/*', function admit(_c, next) {
    if (deps.lifecycle.refusing) {
      throw new GatewayError('SHUTTING_DOWN', 503, 'the gateway is shutting down', { retryAfterS: 1 });
    }
    if (deps.pressure?.saturated) {
      deps.metrics.shed();
      throw new GatewayError('OVERLOADED', 503, 'the gateway is overloaded', { retryAfterS: 1 });
    }
    return next();
  });
  // Without keys the API is open, and a middleware that would only pass every request on is left out.
  if (deps.apiKeys.length > 0) app.use('/v1/*', apiKey(deps.apiKeys));
  app.route('/', createHealthRoutes(deps));
  app.route('/', createMetricsRoutes(deps));
  app.route('/', createOpenApiRoutes({ version: deps.serverVersion, models: [...deps.scoring.pipelines.keys()] }));
  app.route('/', createScoreRoutes(deps));
  if (deps.faultInjection) app.route('/', createFaultRoutes());

  const render = (c: Context<GatewayEnv>, error: unknown) => {
    const problem = toGatewayError(error);
    if (problem.status >= 500) {
      const trace = traceField(
        { traceparent: requestHeader(c, 'traceparent'), cloudTraceContext: requestHeader(c, 'x-cloud-trace-context') },
        deps.projectId,
      );
      const log = deps.logger.child({ requestId: c.get('requestId'), ...trace });
      if (problem.code === 'INTERNAL') log.error({ err: error }, 'unhandled error');
      else log.warn({ code: problem.code, dependency: problem.dependency }, problem.message);
    }
    if (problem.retryAfterS !== undefined) c.header(HEADER.retryAfter, String(problem.retryAfterS));
    c.header('content-type', 'application/problem+json');
    return c.body(JSON.stringify(problem.toProblem(c.get('requestId'))), problem.status);
  };
  app.notFound((c) => render(c, new GatewayError('NOT_FOUND', 404, `no route for ${c.req.method} ${c.req.path}`)));
  app.onError((error, c) => render(c, error));
  return app;
}

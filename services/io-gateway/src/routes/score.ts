import { Hono, type Context } from 'hono';
import {
  batchScoreRequestSchema,
  HEADER,
  isScoreRequest,
  scoreRequestSchema,
  type BatchScoreResponse,
  type ScoreResponse,
} from '@splitserve/contracts';
import { requestHeader } from '@splitserve/service-kit';
import type { GatewayDeps, GatewayEnv } from '../app.ts';
import { GatewayError } from '../errors.ts';
import { scoreEntities } from '../scoring/score-entities.ts';
import { beforeDeadline, deadlineIn } from '../upstream/deadline.ts';
import type { CallContext } from '../upstream/feature-source.ts';
import { readJson } from './read-json.ts';

/**
 * `POST /v1/score` and `POST /v1/score/batch`: fetch an entity's features, score them, rank the labels. Each request
 * has one deadline (the configured default, or less when the caller sends `X-Request-Timeout-Ms`) that bounds every
 * call it makes and its own answer.
 */
export function createScoreRoutes(deps: Pick<GatewayDeps, 'scoring' | 'limits' | 'metrics'>) {
  const run = (c: Context<GatewayEnv>, model: string | undefined, entityIds: string[], topK: number | undefined) => {
    const name = model ?? deps.scoring.defaultPipeline;
    const served = deps.scoring.pipelines.get(name);
    if (served === undefined) {
      const known = [...deps.scoring.pipelines.keys()].join(', ');
      throw new GatewayError('UNKNOWN_MODEL', 422, `model: unknown model '${name}'; this gateway serves ${known}`);
    }
    const deadline = deadlineIn(requestTimeoutMs(c, deps.limits.requestTimeoutMs));
    const context: CallContext = { deadline, headers: propagatedHeaders(c) };
    const work = scoreEntities(served.pipeline, deps.scoring.scorer, entityIds, context, {
      topK,
      fetchConcurrency: deps.limits.batchFetchConcurrency,
      modelInfo: served.modelInfo,
      onDegraded: deps.metrics.degraded,
    }).then((results) => {
      // Every entity scored means every call made under the deadline has settled (a failed entity may leave calls
      // running, which the deadline must still bound): the timer has nothing left to do.
      if (results.every((result) => !('error' in result))) deadline.release();
      return results;
    });
    return beforeDeadline(work, deadline, deadlineExceeded);
  };

  return new Hono<GatewayEnv>()
    .post('/v1/score', async (c) => {
      const request = await readJson(c, scoreRequestSchema, deps.limits.maxBodyBytes, isScoreRequest);
      const [result] = await run(c, request.model, [request.entityId], request.topK);
      if ('error' in result!) throw result.error;
      const body: ScoreResponse = { ...result!, requestId: c.get('requestId') };
      return c.json(body);
    })
    .post('/v1/score/batch', async (c) => {
      const request = await readJson(c, batchScoreRequestSchema, deps.limits.maxBodyBytes);
      if (request.entityIds.length > deps.limits.batchMaxEntities) {
        throw new GatewayError(
          'INVALID_REQUEST',
          422,
          `entityIds: ${request.entityIds.length} entities, at most ${deps.limits.batchMaxEntities} per request`,
        );
      }
      const results = await run(c, request.model, request.entityIds, request.topK);
      const requestId = c.get('requestId');
      const body: BatchScoreResponse = {
        results: results.map((item) =>
          'error' in item ? { entityId: item.entityId, error: item.error.toProblem(requestId) } : item,
        ),
        requestId,
      };
      return c.json(body);
    });
}

function requestTimeoutMs(c: Context, defaultMs: number): number {
  const asked = requestHeader(c, HEADER.requestTimeoutMs);
  if (asked === undefined) return defaultMs;
  const ms = /^\d{1,9}$/.test(asked.trim()) ? Number(asked) : NaN;
  if (!(ms >= 1)) {
    throw new GatewayError(
      'INVALID_REQUEST',
      400,
      `${HEADER.requestTimeoutMs} must be a positive integer of milliseconds`,
    );
  }
  return Math.min(ms, defaultMs);
}

/** Request id and trace context travel to every dependency. */
function propagatedHeaders(c: Context<GatewayEnv>): Record<string, string> {
  const headers: Record<string, string> = { [HEADER.requestId]: c.get('requestId') };
  for (const name of ['traceparent', 'tracestate', 'x-cloud-trace-context']) {
    const value = requestHeader(c, name);
    if (value !== undefined && value.length <= 512) headers[name] = value;
  }
  return headers;
}

const deadlineExceeded = () => new GatewayError('DEADLINE_EXCEEDED', 504, 'the request deadline passed');

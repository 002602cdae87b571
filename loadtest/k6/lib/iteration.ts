import { check } from 'k6';
import exec from 'k6/execution';
import http from 'k6/http';
import { Rate } from 'k6/metrics';
import type { RunConfig } from './config.ts';
import { phaseAt } from './load-plan.ts';
import { METRIC } from './metric-names.ts';
import { createRequestBuilder } from './request-builders.ts';
import { inspectResponse } from './response-inspection.ts';

/**
 * The body of every scenario: one request to the run's target, tagged `route` and `phase`, then its checks and the
 * shed / error / degraded rates. Call it in the init context (it creates the metrics and the request builder); the
 * returned function is the iteration.
 */
export function createIteration(config: RunConfig): () => void {
  const shed = new Rate(METRIC.shed);
  const errors = new Rate(METRIC.errors);
  const degraded = new Rate(METRIC.degraded);
  const batchItemsShed = new Rate(METRIC.batchItemsShed);
  const batchItemsErrors = new Rate(METRIC.batchItemsErrors);
  const nextRequest = createRequestBuilder(config);
  const route = config.targetInfo.route;
  const inspection = { checkTopLabel: config.checkTopLabel };

  return function scoreOnce(): void {
    const phase = phaseAt(config.plan.phases, exec.instance.currentTestRunDuration, config.profile);
    const tags = { route, phase };
    const request = nextRequest();
    const response = http.request('POST', request.url, request.body, {
      headers: request.headers,
      tags,
      timeout: config.httpTimeout,
      responseType: request.binaryResponse ? 'binary' : 'text',
    });
    const result = inspectResponse(response, request.expectation, inspection);

    const checkers: Record<string, () => boolean> = {};
    for (const [name, passed] of Object.entries(result.checks)) checkers[name] = () => passed;
    check(result, checkers, tags);

    shed.add(result.outcome === 'shed', tags);
    errors.add(result.outcome === 'error', tags);
    for (const wasDegraded of result.degraded) degraded.add(wasDegraded, tags);
    for (const item of result.items) {
      batchItemsShed.add(item === 'shed', tags);
      batchItemsErrors.add(item === 'error', tags);
    }
  };
}

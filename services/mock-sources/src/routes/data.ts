import { Hono } from 'hono';
import type { ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { RESPONSE_ALREADY_SENT } from '@hono/node-server/utils/response';
import type { MockSourceDeps, MockSourceEnv } from '../app.ts';
import { resetConnection, sendTruncated } from '../answers/connection-faults.ts';
import { garbageAnswer } from '../answers/garbage.ts';
import { untilClientLeaves } from '../answers/hang.ts';
import { injectedErrorAnswer } from '../answers/injected-error.ts';
import { slowBodyAnswer } from '../answers/slow-body.ts';
import type { AnswerPlan } from '../behaviour/behaviour-control.ts';
import { generateEntity } from '../data/entity-data.ts';
import { ENTITY_ID_PATTERN, isMissingEntity } from '../data/entity-id.ts';
import { SOURCES, type SourceDefinition } from '../data/source-kinds.ts';
import { badRequest, notFound } from '../errors.ts';

/**
 * The source's one data route (`GET /profiles/{id}` or `GET /users/{id}/events`), answered as the behaviour says:
 * counted on arrival, delayed by latency ± jitter, then the data or the planned failure. A client that goes away
 * ends the request at once, including its pending delay.
 */
export function createDataRoutes(deps: Pick<MockSourceDeps, 'source' | 'behaviour' | 'stats'>) {
  const source = SOURCES[deps.source];
  return new Hono<MockSourceEnv>().get(source.path, async (c) => {
    const { outgoing } = c.env;
    const finished = deps.stats.started();
    // 'close' comes for every response, finished or cut off, so inFlight cannot drift.
    outgoing.once('close', finished);
    const entityId = c.req.param('entityId');
    if (!ENTITY_ID_PATTERN.test(entityId)) {
      deps.stats.record('bad-request');
      throw badRequest(`entityId must match ${ENTITY_ID_PATTERN.source}`);
    }
    const plan = deps.behaviour.plan(isMissingEntity(entityId));
    deps.stats.record(plan.outcome);

    const signal = c.req.raw.signal;
    if (plan.outcome === 'hang') {
      await untilClientLeaves(signal);
      return RESPONSE_ALREADY_SENT;
    }
    try {
      if (plan.delayMs > 0) await sleep(plan.delayMs, undefined, { signal });
    } catch (error) {
      if (signal.aborted) return RESPONSE_ALREADY_SENT;
      throw error;
    }
    return answer(plan.outcome, { plan, entityId, source, outgoing });
  });
}

type AnswerContext = { plan: AnswerPlan; entityId: string; source: SourceDefinition; outgoing: ServerResponse };

function answer(outcome: Exclude<AnswerPlan['outcome'], 'hang'>, context: AnswerContext): Response {
  const { plan, entityId, source, outgoing } = context;
  const document = () => JSON.stringify(source.document(generateEntity(entityId)));
  switch (outcome) {
    case 'ok':
      return jsonAnswer(document());
    case 'not-found':
      throw notFound();
    case 'error':
      return injectedErrorAnswer(plan.errorStatus, plan.retryAfterS, plan.reason ?? 'error');
    case 'garbage':
      return garbageAnswer();
    case 'wrong-shape':
      return jsonAnswer(JSON.stringify(source.wrongShapeDocument(generateEntity(entityId))));
    case 'slow-body':
      return slowBodyAnswer(document());
    case 'truncated':
      sendTruncated(outgoing, document());
      return RESPONSE_ALREADY_SENT;
    case 'reset':
      resetConnection(outgoing);
      return RESPONSE_ALREADY_SENT;
  }
}

function jsonAnswer(json: string): Response {
  return new Response(json, { status: 200, headers: { 'content-type': 'application/json' } });
}

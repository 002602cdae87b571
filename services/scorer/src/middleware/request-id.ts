import { randomUUID } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { HEADER } from '@splitserve/contracts';
import { setResponseHeader } from './node-response.ts';

const MAX_LENGTH = 255;
const UNSAFE = /[^\w\-=]/;

/**
 * hono/request-id's behaviour without its cost: reuses the caller's `X-Request-Id` when it is at most 255 characters
 * of `[A-Za-z0-9_=-]`, otherwise generates a UUID; stores it as `requestId` and echoes it in the response, set on
 * Node's response (see node-response.ts) so that answers keep plain header records.
 */
export function requestId(): MiddlewareHandler<{ Variables: { requestId: string } }> {
  return async function assignRequestId(c, next) {
    let id = c.req.header(HEADER.requestId);
    if (!id || id.length > MAX_LENGTH || UNSAFE.test(id)) id = randomUUID();
    c.set('requestId', id);
    setResponseHeader(c, 'X-Request-Id', id);
    await next();
  };
}

import { randomUUID } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import { HEADER } from '@splitserve/contracts';
import { requestHeader, setResponseHeader } from './node-http.ts';

const MAX_LENGTH = 255;
const UNSAFE = /[^\w\-=]/;

type WithRequestId = { Variables: { requestId: string } };

/**
 * hono/request-id's behaviour, cheaper: reuses the caller's `X-Request-Id` when it is at most 255 characters of
 * `[A-Za-z0-9_=-]`, otherwise generates a UUID; stores it as `requestId` and echoes it in the response header. Reads
 * and writes Node's own headers (see node-http.ts), so that answers keep plain header records.
 */
export function assignRequestId(c: Context<WithRequestId>): void {
  let id = requestHeader(c, HEADER.requestId);
  if (!id || id.length > MAX_LENGTH || UNSAFE.test(id)) id = randomUUID();
  c.set('requestId', id);
  setResponseHeader(c, 'X-Request-Id', id);
}

/** {@link assignRequestId} as a middleware, for a service with nothing else to do around each request. */
export function requestId(): MiddlewareHandler<WithRequestId> {
  return async function withRequestId(c, next) {
    assignRequestId(c);
    await next();
  };
}

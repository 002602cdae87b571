import { randomUUID } from 'node:crypto';
import type { Context } from 'hono';
import { HEADER } from '@splitserve/contracts';
import { nodeResponse, requestHeader } from './node-headers.ts';

const MAX_LENGTH = 255;
const UNSAFE = /[^\w\-=]/;

/**
 * hono/request-id's behaviour, cheaper: reuses the caller's `X-Request-Id` when it is at most 255 characters of
 * `[A-Za-z0-9_=-]`, otherwise generates a UUID; stores it as `requestId` and echoes it in the response header. Reads
 * and writes Node's own headers (see node-headers.ts). Called by the request scope (request-scope.ts).
 */
export function assignRequestId(c: Context<{ Variables: { requestId: string } }>): void {
  let id = requestHeader(c, HEADER.requestId);
  if (!id || id.length > MAX_LENGTH || UNSAFE.test(id)) id = randomUUID();
  c.set('requestId', id);
  const outgoing = nodeResponse(c);
  if (outgoing !== undefined) outgoing.setHeader('X-Request-Id', id);
  else c.header('X-Request-Id', id);
}

import type { Context } from 'hono';
import type { z } from 'zod';
import { BodyTooLargeError, readBody, requestHeader } from '@splitserve/service-kit';
import { GatewayError } from '../errors.ts';

/**
 * Reads a JSON body of at most `maxBytes` and validates it: 415 for another content type, 413 for a body too large,
 * 400 for malformed JSON, 422 for JSON that does not fit `schema` (naming the first field at fault). A body that
 * `wellFormed` (a hand-written check of the same rules) accepts skips the schema.
 */
export async function readJson<S extends z.ZodType>(
  c: Context,
  schema: S,
  maxBytes: number,
  wellFormed?: (value: unknown) => value is z.output<S>,
): Promise<z.output<S>> {
  const type = requestHeader(c, 'content-type') ?? '';
  if (!/^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i.test(type)) {
    throw new GatewayError('UNSUPPORTED_MEDIA_TYPE', 415, `expected application/json, got '${type.slice(0, 100)}'`);
  }
  const body = await readBody(c, maxBytes).catch((error: unknown) => {
    if (!(error instanceof BodyTooLargeError)) throw new GatewayError('INVALID_REQUEST', 400, 'the body ended early');
    // The rest of the body is never read, so the connection cannot carry another request.
    c.header('connection', 'close');
    throw new GatewayError('PAYLOAD_TOO_LARGE', 413, error.message);
  });
  let value: unknown;
  try {
    value = JSON.parse(body.toString('utf8'));
  } catch (error) {
    throw new GatewayError('INVALID_JSON', 400, `the body is not valid JSON: ${(error as Error).message}`);
  }
  if (wellFormed?.(value)) return value;
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const path = issue.path.length > 0 ? issue.path.join('.') : 'the body';
    throw new GatewayError('INVALID_REQUEST', 422, `${path}: ${issue.message}`);
  }
  return parsed.data;
}

import type { Context } from 'hono';
import type { z } from 'zod';
import { GatewayError } from '../errors.ts';

/**
 * Reads a JSON body and validates it: 415 for another content type, 400 for malformed JSON, 422 for JSON that
 * does not fit `schema` (naming the first field at fault).
 */
export async function readJson<S extends z.ZodType>(c: Context, schema: S): Promise<z.output<S>> {
  const type = c.req.header('content-type') ?? '';
  if (!/^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i.test(type)) {
    throw new GatewayError('UNSUPPORTED_MEDIA_TYPE', 415, `expected application/json, got '${type.slice(0, 100)}'`);
  }
  let value: unknown;
  try {
    value = JSON.parse(await c.req.text());
  } catch (error) {
    throw new GatewayError('INVALID_JSON', 400, `the body is not valid JSON: ${(error as Error).message}`);
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const path = issue.path.length > 0 ? issue.path.join('.') : 'the body';
    throw new GatewayError('INVALID_REQUEST', 422, `${path}: ${issue.message}`);
  }
  return parsed.data;
}

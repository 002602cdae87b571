import { createHash, timingSafeEqual } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { GatewayError } from '../errors.ts';
import { requestHeader } from '@splitserve/service-kit';

const digest = (key: string) => createHash('sha256').update(key, 'utf8').digest();

/**
 * Requires one of `keys` as `Authorization: Bearer <key>` or `X-API-Key: <key>`. Keys are compared as SHA-256
 * digests with `timingSafeEqual`, against every configured key, so timing reveals neither a key nor its length.
 * With no keys configured the API is open.
 */
export function apiKey(keys: readonly string[]): MiddlewareHandler {
  const digests = keys.map(digest);
  return async function apiKeyMiddleware(c, next) {
    if (digests.length === 0) return next();
    const bearer = /^Bearer\s+(.+)$/i.exec(requestHeader(c, 'authorization') ?? '')?.[1];
    const presented = bearer ?? requestHeader(c, 'x-api-key');
    let valid = false;
    if (presented !== undefined) {
      const candidate = digest(presented);
      for (const known of digests) valid = timingSafeEqual(known, candidate) || valid;
    }
    if (!valid) {
      c.header('www-authenticate', 'Bearer');
      throw new GatewayError('UNAUTHORIZED', 401, 'a valid API key is required (Authorization: Bearer <key>)');
    }
    return next();
  };
}

import { Pool } from 'undici';

/** Keep-alive shorter than Node's default server idle timeout (5 s), so we never reuse a socket the peer is closing. */
const KEEP_ALIVE_MS = 4_000;
const MAX_RESPONSE_BYTES = 4 * 1024 * 1024;

/**
 * One undici connection pool for an origin, with bounded connections, a keep-alive shorter than the upstream's idle
 * timeout, and a cap on response size. Time limits come from each request's deadline signal, not from here.
 */
export function createHttpPool(origin: string, connections: number): Pool {
  return new Pool(origin, {
    connections,
    pipelining: 1,
    keepAliveTimeout: KEEP_ALIVE_MS,
    keepAliveMaxTimeout: KEEP_ALIVE_MS,
    maxResponseSize: MAX_RESPONSE_BYTES,
    connectTimeout: 2_000,
  });
}

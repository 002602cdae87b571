import { once } from 'node:events';
import type { AddressInfo, Server } from 'node:net';
import { serve } from '@hono/node-server';

/** A Hono app served in this process; see {@link serveOnLoopback}. */
export type ServedApp = { origin: string; port: number; close(): Promise<void> };

/**
 * Serves `fetch` (a Hono app's) through @hono/node-server on an ephemeral port of 127.0.0.1, as the services run
 * their apps, for tests of what only happens on Node's own request and response.
 */
export async function serveOnLoopback(fetch: (request: Request) => Response | Promise<Response>): Promise<ServedApp> {
  const server = serve({ fetch, port: 0, hostname: '127.0.0.1' }) as Server;
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    port,
    close: () => new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}

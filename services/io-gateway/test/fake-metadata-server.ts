import { createServer, type IncomingMessage } from 'node:http';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';

/**
 * A stand-in for the Cloud Run metadata server on 127.0.0.1: answers identity-token requests with an unsigned JWT
 * expiring `lifetimeS` from now, and records every request. `status` makes it fail.
 */
export async function startFakeMetadataServer(options: { lifetimeS: number; status?: number }) {
  const requests: IncomingMessage[] = [];
  const server = createServer((request, response) => {
    requests.push(request);
    const url = new URL(request.url ?? '/', 'http://metadata');
    if (url.pathname !== '/computeMetadata/v1/instance/service-accounts/default/identity') {
      response.writeHead(404).end();
      return;
    }
    if (request.headers['metadata-flavor'] !== 'Google') {
      response.writeHead(403).end('missing Metadata-Flavor');
      return;
    }
    if (options.status !== undefined && options.status !== 200) {
      response.writeHead(options.status).end('unavailable');
      return;
    }
    const claims = { aud: url.searchParams.get('audience'), exp: Math.floor(Date.now() / 1000) + options.lifetimeS };
    const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
    response.writeHead(200, { 'content-type': 'text/plain' }).end(`${part({ alg: 'none' })}.${part(claims)}.sig`);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    host: `127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    set status(value: number | undefined) {
      options.status = value;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

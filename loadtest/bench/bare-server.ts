import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';

/** Answers one request whose body has been read whole. */
export type BareHandler = (request: IncomingMessage, body: Buffer, response: ServerResponse) => Promise<void>;

/**
 * Serves `answer` on bare node:http, as the gateway's baselines do: each body read whole, then answered; an answer
 * that throws becomes `errorStatus` with the error as text. Listens on `port` and `host`, logs the services'
 * one-line JSON `listening` so the harness starts it as it starts them, and on SIGTERM stops taking connections,
 * runs `close` and exits (1 when `close` fails).
 */
export async function serveBare(
  answer: BareHandler,
  options: { port: number; host: string; errorStatus: number; close: () => Promise<void> },
): Promise<void> {
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      answer(request, Buffer.concat(chunks), response).catch((error: unknown) => {
        if (!response.headersSent) response.writeHead(options.errorStatus, { 'content-type': 'text/plain' });
        response.end(String(error));
      });
    });
  });
  server.listen(options.port, options.host);
  await once(server, 'listening');
  console.log(JSON.stringify({ message: 'listening', address: server.address() }));
  process.once('SIGTERM', () => {
    server.close(() => {
      options.close().then(
        () => process.exit(0),
        () => process.exit(1),
      );
    });
    server.closeIdleConnections();
  });
}

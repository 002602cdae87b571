import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { Pool } from 'undici';
import { deadlineIn } from './deadline.ts';
import { sendRequest, type UpstreamRequest } from './http-json.ts';
import { isUpstreamError } from './upstream-error.ts';

// A real HTTP server on 127.0.0.1 whose route says what to answer, and one keep-alive connection to it, so that a
// test can see whether an answer left the connection usable.
const connections: string[] = [];
const received: { url: string; timeout: string | undefined; body: string }[] = [];
const server = createServer((request: IncomingMessage, response: ServerResponse) => {
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', () => {
    received.push({
      url: request.url!,
      timeout: request.headers['x-request-timeout-ms'] as string | undefined,
      body: Buffer.concat(chunks).toString(),
    });
    answer(request.url!, response);
  });
});
server.on('connection', (socket) => connections.push(`${socket.remotePort}`));
let pool: Pool;

function answer(url: string, response: ServerResponse): void {
  const [, kind, arg] = url.split('/');
  if (kind === 'json') {
    response.writeHead(200, { 'content-type': 'application/json', 'x-tag': 'a' }).end('{"ok":true}');
  } else if (kind === 'chunked') {
    // Three writes the client reads as separate chunks of one body.
    response.writeHead(200, { 'content-type': 'application/json' });
    response.write('{"parts":');
    setTimeout(() => response.write('[1,2,'), 5);
    setTimeout(() => response.end('3]}'), 10);
  } else if (kind === 'status') {
    response.writeHead(Number(arg), { 'retry-after': '2' }).end('x'.repeat(Number(url.split('/')[3] ?? 10)));
  } else if (kind === 'hang') {
    response.writeHead(200);
    response.write('{"never":');
  } else {
    response.writeHead(404).end();
  }
}

before(async () => {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  pool = new Pool(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, { connections: 1 });
});
after(async () => {
  await pool.close();
  server.closeAllConnections();
  server.close();
});

const get = (path: string): UpstreamRequest => ({ method: 'GET', path, headers: { accept: 'application/json' } });

test('a 2xx answer resolves with its headers and whole body, and the remaining time goes downstream', async () => {
  const response = await sendRequest(pool, 'profile', get('/json'), deadlineIn(800), new AbortController().signal);
  assert.equal(response.body.toString(), '{"ok":true}');
  assert.equal(response.headers['x-tag'], 'a');
  const sent = Number(received.at(-1)!.timeout);
  assert.ok(sent > 700 && sent <= 800, `sent ${sent} ms`);
});

test('a body in several chunks arrives whole', async () => {
  const response = await sendRequest(pool, 'profile', get('/chunked'), deadlineIn(800), new AbortController().signal);
  assert.deepEqual(JSON.parse(response.body.toString()), { parts: [1, 2, 3] });
});

test('a request body is sent as given', async () => {
  const request: UpstreamRequest = { method: 'POST', path: '/json', headers: {}, body: Buffer.from('tensor bytes') };
  await sendRequest(pool, 'scorer', request, deadlineIn(800), new AbortController().signal);
  assert.equal(received.at(-1)!.body, 'tensor bytes');
});

test('an error status rejects with its status and Retry-After, and keeps a short body’s connection', async () => {
  const before = connections.length;
  for (const status of [503, 404, 302]) {
    const error: unknown = await sendRequest(
      pool,
      'profile',
      get(`/status/${status}`),
      deadlineIn(800),
      new AbortController().signal,
    ).catch((e: unknown) => e);
    assert.ok(isUpstreamError(error), String(error));
    assert.equal(error.status, status);
    assert.equal(error.retryAfterMs, 2_000);
  }
  // The drained bodies left the connection usable: the next request reuses it.
  await sendRequest(pool, 'profile', get('/json'), deadlineIn(800), new AbortController().signal);
  assert.equal(connections.length, before);
});

test('an error answer with a body over 64 KiB still rejects with its status, and its connection is closed', async () => {
  const before = connections.length;
  const error: unknown = await sendRequest(
    pool,
    'profile',
    get(`/status/500/${200 * 1024}`),
    deadlineIn(800),
    new AbortController().signal,
  ).catch((e: unknown) => e);
  assert.ok(isUpstreamError(error));
  assert.equal(error.status, 500);
  await sendRequest(pool, 'profile', get('/json'), deadlineIn(800), new AbortController().signal);
  assert.equal(connections.length, before + 1);
});

test('aborting the signal mid-body rejects with its reason at once, and the connection is replaced', async () => {
  const before = connections.length;
  const controller = new AbortController();
  const reason = new Error('hedge lost');
  const pending = sendRequest(pool, 'profile', get('/hang'), deadlineIn(5_000), controller.signal);
  setTimeout(() => controller.abort(reason), 30);
  const started = performance.now();
  await assert.rejects(pending, (error) => error === reason);
  assert.ok(performance.now() - started < 1_000);
  await sendRequest(pool, 'profile', get('/json'), deadlineIn(800), new AbortController().signal);
  assert.equal(connections.length, before + 1);
});

test('an already aborted signal rejects without sending anything', async () => {
  const count = received.length;
  const controller = new AbortController();
  const reason = new Error('deadline passed');
  controller.abort(reason);
  await assert.rejects(
    sendRequest(pool, 'profile', get('/json'), deadlineIn(800), controller.signal),
    (e) => e === reason,
  );
  assert.equal(received.length, count);
});

test('a refused connection rejects with undici’s error', async () => {
  const closed = createServer();
  closed.listen(0, '127.0.0.1');
  await once(closed, 'listening');
  const { port } = closed.address() as AddressInfo;
  closed.close();
  const gone = new Pool(`http://127.0.0.1:${port}`);
  try {
    const error = (await sendRequest(
      gone,
      'profile',
      get('/json'),
      deadlineIn(800),
      new AbortController().signal,
    ).catch((e: unknown) => e)) as { code?: string };
    assert.equal(error.code, 'ECONNREFUSED');
  } finally {
    await gone.close();
  }
});

import assert from 'node:assert/strict';
import { once } from 'node:events';
import type { AddressInfo, Server } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { assignRequestId } from './request-id.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

function app() {
  return new Hono<{ Variables: { requestId: string } }>()
    .use(async (c, next) => {
      assignRequestId(c);
      await next();
    })
    .get('/', (c) => c.json({ requestId: c.get('requestId') }));
}

/** The ids to send, and whether each one is reused (as hono/request-id decides). */
const cases: [string | undefined, boolean][] = [
  [undefined, false],
  ['', false],
  ['trace-me_1=', true],
  ['a'.repeat(255), true],
  ['a'.repeat(256), false],
  ['has space', false],
  ['semi;colon', false],
  ['ünïcode', false],
];

async function check(send: (headers: Record<string, string>) => Promise<Response>) {
  for (const [sent, reused] of cases) {
    const response = await send(sent === undefined ? {} : { 'x-request-id': sent });
    const { requestId: id } = (await response.json()) as { requestId: string };
    assert.equal(response.headers.get('x-request-id'), id, 'echoed in the response');
    if (reused) assert.equal(id, sent);
    else assert.match(id, UUID, `replaced ${JSON.stringify(sent)}`);
  }
}

test('in process (app.request): reuses a safe caller id, otherwise a UUID, echoed back', async () => {
  await check(async (headers) => app().request('/', { headers }));
});

describe('on Node (@hono/node-server)', () => {
  let server: Server;
  let origin: string;
  before(async () => {
    server = serve({ fetch: app().fetch, port: 0, hostname: '127.0.0.1' });
    await once(server, 'listening');
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => server.close());

  test('reuses a safe caller id, otherwise a UUID, echoed back', async () => {
    await check((headers) => fetch(origin, { headers }));
  });

  test('fresh ids differ from request to request', async () => {
    const ids = new Set<string>();
    for (let i = 0; i < 20; i++) ids.add(((await (await fetch(origin)).json()) as { requestId: string }).requestId);
    assert.equal(ids.size, 20);
  });
});

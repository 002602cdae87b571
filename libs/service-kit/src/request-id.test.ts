import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Hono } from 'hono';
import { serveOnLoopback, type ServedApp } from '@splitserve/test-support';
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
  let served: ServedApp;
  before(async () => {
    served = await serveOnLoopback(app().fetch);
  });
  after(() => served.close());

  test('reuses a safe caller id, otherwise a UUID, echoed back', async () => {
    await check((headers) => fetch(served.origin, { headers }));
  });

  test('fresh ids differ from request to request', async () => {
    const ids = new Set<string>();
    for (let i = 0; i < 20; i++)
      ids.add(((await (await fetch(served.origin)).json()) as { requestId: string }).requestId);
    assert.equal(ids.size, 20);
  });
});

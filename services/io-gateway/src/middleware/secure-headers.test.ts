import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Hono } from 'hono';
import { serveOnLoopback, type ServedApp } from '@splitserve/test-support';
import { secureHeaders as honoSecureHeaders } from 'hono/secure-headers';
import { SECURE_HEADERS, setSecureHeaders } from './secure-headers.ts';

function app() {
  return new Hono()
    .use(async (c, next) => {
      const finish = setSecureHeaders(c);
      await next();
      finish?.(c);
    })
    .get('/json', (c) => c.json({ ok: true }))
    .get('/problem', (c) => {
      c.header('content-type', 'application/problem+json');
      return c.body('{}', 503);
    })
    .get('/throws', () => {
      throw new Error('boom');
    })
    .onError((_error, c) => c.text('failed', 500));
}

/** Every header of hono/secure-headers' defaults, as that middleware sets them. */
async function honoDefaults(): Promise<[string, string][]> {
  const reference = new Hono().use(honoSecureHeaders()).get('/', (c) => c.text('x'));
  const response = await reference.request('/');
  return [...response.headers].filter(([name]) => name !== 'content-type');
}

const expected = () => SECURE_HEADERS.map(([name, value]) => [name.toLowerCase(), value]).sort();
const secureOf = (headers: Headers) =>
  [...headers].filter(([name]) => SECURE_HEADERS.some(([known]) => known.toLowerCase() === name)).sort();

test("the same headers and values as hono/secure-headers' defaults", async () => {
  assert.deepEqual(expected(), (await honoDefaults()).sort());
});

test('in process (app.request): on answers, problems and errors', async () => {
  for (const path of ['/json', '/problem', '/throws', '/missing']) {
    const response = await app().request(path);
    assert.deepEqual(secureOf(response.headers), expected(), path);
  }
});

describe('on Node (@hono/node-server)', () => {
  let served: ServedApp;
  before(async () => {
    served = await serveOnLoopback(app().fetch);
  });
  after(() => served.close());

  test('on answers, problems and errors, with the handler’s own headers kept', async () => {
    for (const path of ['/json', '/problem', '/throws', '/missing']) {
      const response = await fetch(served.origin + path);
      await response.arrayBuffer();
      assert.deepEqual(secureOf(response.headers), expected(), path);
    }
    const json = await fetch(`${served.origin}/json`);
    assert.equal(json.headers.get('content-type'), 'application/json');
    assert.deepEqual(await json.json(), { ok: true });
    const problem = await fetch(`${served.origin}/problem`);
    assert.equal(problem.status, 503);
    assert.equal(problem.headers.get('content-type'), 'application/problem+json');
    await problem.arrayBuffer();
  });
});

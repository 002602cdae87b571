import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { Hono } from 'hono';
import { serveOnLoopback, type ServedApp } from '@splitserve/test-support';
import { nodeResponse, requestHeader } from './node-http.ts';

const NAMES = ['x-one', 'x-twice', 'content-type', 'authorization', 'x-absent'];

/** Answers what requestHeader() and c.req.header() read for each name, and whether Node's response was at hand. */
function app() {
  return new Hono().get('/', (c) => {
    const fast = Object.fromEntries(NAMES.map((name) => [name, requestHeader(c, name) ?? null]));
    const web = Object.fromEntries(NAMES.map((name) => [name, c.req.header(name) ?? null]));
    return c.json({ fast, web, node: nodeResponse(c) !== undefined });
  });
}

/** Raw header lines, repeated fields included (fetch would merge them before sending); Node requires a Host. */
const RAW_HEADERS = [
  ['host', '127.0.0.1'],
  ['X-One', ' padded value '],
  ['x-twice', 'a'],
  ['X-Twice', 'b'],
  ['content-type', 'application/json'],
  ['content-type', 'text/plain'],
  ['authorization', 'Bearer one'],
  ['Authorization', 'Bearer two'],
].flat();

describe('on Node (@hono/node-server)', () => {
  let served: ServedApp;
  before(async () => {
    served = await serveOnLoopback(app().fetch);
  });
  after(() => served.close());

  test('reads every header as c.req.header() does, repeated fields included', async () => {
    const body = await new Promise<string>((resolve, reject) => {
      const req = httpRequest({ port: served.port, host: '127.0.0.1', path: '/', headers: RAW_HEADERS }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve(text));
      });
      req.on('error', reject);
      req.end();
    });
    const { fast, web, node } = JSON.parse(body) as { fast: object; web: object; node: boolean };
    assert.equal(node, true);
    assert.deepEqual(fast, web);
    assert.deepEqual(fast, {
      'x-one': 'padded value',
      'x-twice': 'a, b',
      'content-type': 'application/json, text/plain',
      authorization: 'Bearer one, Bearer two',
      'x-absent': null,
    });
  });
});

test('in process (app.request): falls back to c.req.header(), and there is no Node response', async () => {
  const response = await app().request('/', { headers: { 'x-one': 'v', 'x-twice': 'a, b' } });
  const { fast, web, node } = (await response.json()) as { fast: object; web: object; node: boolean };
  assert.equal(node, false);
  assert.deepEqual(fast, web);
});

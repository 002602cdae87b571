import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { request } from 'undici';
import { startFaultProxy, type FaultProxy } from './fault-proxy.ts';

const BODY = JSON.stringify({ ok: true, padding: 'x'.repeat(2_000) });
let proxy: FaultProxy;
let upstreamCalls = 0;
const upstream = createServer((req, res) => {
  upstreamCalls++;
  req.resume();
  req.on('end', () => res.writeHead(200, { 'content-type': 'application/json', 'x-upstream': 'yes' }).end(BODY));
});

before(async () => {
  upstream.listen(0, '127.0.0.1');
  await once(upstream, 'listening');
  proxy = await startFaultProxy({ target: `http://127.0.0.1:${(upstream.address() as AddressInfo).port}` });
});
after(async () => {
  await proxy.close();
  upstream.close();
});

const get = async (signal = AbortSignal.timeout(3_000)) => {
  const response = await request(`${proxy.url}/x`, { method: 'POST', body: '{"a":1}', signal });
  return { status: response.statusCode, headers: response.headers, text: await response.body.text() };
};

test('pass forwards the request and the answer, and counts it', async () => {
  proxy.resetStats();
  const answer = await get();
  assert.equal(answer.status, 200);
  assert.equal(answer.text, BODY);
  assert.equal(answer.headers['x-upstream'], 'yes');
  assert.deepEqual(
    { ...proxy.stats(), faults: undefined },
    { received: 1, forwarded: 1, upstreamErrors: 0, inFlight: 0, faults: undefined },
  );
});

test('status answers without calling the upstream, with Retry-After when asked', async () => {
  proxy.setFault({ mode: 'status', status: 503, retryAfterS: 2 });
  const before = upstreamCalls;
  const answer = await get();
  proxy.setFault({ mode: 'pass' });
  assert.equal(answer.status, 503);
  assert.equal(answer.headers['retry-after'], '2');
  assert.equal(upstreamCalls, before);
  assert.equal(proxy.stats().faults.status, 1);
});

test('reset, truncated and garbage fail the way a broken upstream does', async () => {
  proxy.setFault({ mode: 'reset' });
  await assert.rejects(get(), /ECONNRESET|socket|closed/i);
  proxy.setFault({ mode: 'truncated' });
  await assert.rejects(get(), /closed|length|terminated/i);
  proxy.setFault({ mode: 'garbage' });
  const garbage = await get();
  proxy.setFault({ mode: 'pass' });
  assert.equal(garbage.status, 200);
  assert.throws(() => JSON.parse(garbage.text) as unknown);
});

test('hang never answers; slow-body trickles the whole answer', async () => {
  proxy.setFault({ mode: 'hang' });
  await assert.rejects(get(AbortSignal.timeout(200)), /abort|timeout/i);
  proxy.setFault({ mode: 'slow-body', slowBodyMs: 300 });
  const started = performance.now();
  const slow = await get();
  proxy.setFault({ mode: 'pass' });
  assert.equal(slow.text, BODY);
  assert.ok(performance.now() - started >= 250, 'the body took its time');
});

test('latency and rate: a share of requests meet the fault, each after the delay', async () => {
  proxy.setFault({ mode: 'status', status: 500, rate: 0.5, latencyMs: 20 });
  proxy.resetStats();
  const started = performance.now();
  const statuses = [];
  for (let i = 0; i < 40; i++) statuses.push((await get()).status);
  proxy.setFault({ mode: 'pass' });
  const failed = statuses.filter((s) => s === 500).length;
  assert.ok(failed > 8 && failed < 32, `${failed} of 40 failed`);
  assert.equal(proxy.stats().faults.status, failed);
  assert.ok(performance.now() - started >= 40 * 20, 'every request was delayed');
});

test('an unreachable upstream resets the client connection', async () => {
  const orphan = await startFaultProxy({ target: 'http://127.0.0.1:1' });
  try {
    await assert.rejects(
      request(`${orphan.url}/x`).then((r) => r.body.text()),
      /ECONNRESET|socket|closed/i,
    );
    assert.equal(orphan.stats().upstreamErrors, 1);
  } finally {
    await orphan.close();
  }
});

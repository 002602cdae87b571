import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { getStats, getText, resetSource, setBehaviour, waitForStats } from './source-client.ts';
import { startMockSource, type RunningMockSource } from './mock-source-process.ts';

const PATH = '/users/u-music-1/events';

let source: RunningMockSource;
let url: string;
let normalBody: string;
before(async () => {
  source = await startMockSource('events');
  url = source.url;
  normalBody = (await getText(url, PATH)).text;
});
after(() => source.stop());
beforeEach(() => resetSource(url));

/** Fetches and reports how the exchange ended, for modes that break HTTP itself. */
async function attempt(path = PATH, init: RequestInit = {}) {
  try {
    const response = await fetch(`${url}${path}`, init);
    try {
      return { status: response.status, headers: response.headers, text: await response.text() };
    } catch (error) {
      return { status: response.status, headers: response.headers, bodyError: error as Error };
    }
  } catch (error) {
    return { requestError: error as Error };
  }
}

describe('failure modes, as a real client sees them', () => {
  test('hang: no answer until the client gives up; then nothing stays in flight', async () => {
    await setBehaviour(url, { mode: 'hang' });
    const started = performance.now();
    const result = await attempt(PATH, { signal: AbortSignal.timeout(300) });
    assert.equal(result.requestError?.name, 'TimeoutError');
    assert.ok(performance.now() - started >= 290);
    const stats = await waitForStats(url, (s) => s.inFlight === 0);
    assert.equal(stats.byOutcome['hang'], 1);
    assert.equal((await getText(url, '/healthz')).status, 200, 'health is never held');
  });

  test('hang over node:http: the request stays open while the client waits, and ends when it leaves', async () => {
    await setBehaviour(url, { mode: 'hang' });
    const { port } = new URL(url);
    const pending = request({ host: '127.0.0.1', port, path: PATH, agent: false });
    pending.on('error', () => {});
    pending.end();
    await waitForStats(url, (s) => s.inFlight === 1);
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal((await getStats(url)).inFlight, 1);
    pending.destroy();
    await waitForStats(url, (s) => s.inFlight === 0);
  });

  test('a client that leaves during the latency ends the request at once', async () => {
    await setBehaviour(url, { latencyMs: 10_000 });
    const result = await attempt(PATH, { signal: AbortSignal.timeout(100) });
    assert.equal(result.requestError?.name, 'TimeoutError');
    await waitForStats(url, (s) => s.inFlight === 0, 1_000);
  });

  test('reset: the connection is destroyed without a response, in one attempt', async () => {
    await setBehaviour(url, { mode: 'reset' });
    const result = await attempt();
    assert.ok(result.requestError, `expected a failed request, got ${JSON.stringify(result)}`);
    const stats = await waitForStats(url, (s) => s.inFlight === 0);
    assert.equal(stats.requests, 1);
    assert.equal(stats.byOutcome['reset'], 1);
  });

  test('garbage: 200 labelled JSON whose body is not JSON', async () => {
    await setBehaviour(url, { mode: 'garbage' });
    const result = await attempt();
    assert.equal(result.status, 200);
    assert.match(result.headers?.get('content-type') ?? '', /^application\/json/);
    assert.throws(() => JSON.parse(result.text ?? ''), SyntaxError);
  });

  test('wrong-shape: 200 with valid JSON of the wrong types', async () => {
    await setBehaviour(url, { mode: 'wrong-shape' });
    const result = await attempt();
    assert.equal(result.status, 200);
    const body = JSON.parse(result.text ?? '') as { entityId: unknown; events: { category: unknown }[] };
    assert.equal(typeof body.entityId, 'number');
    assert.ok(body.events.length > 0);
    assert.equal(typeof body.events[0]!.category, 'number');
    const profiles = await startMockSource('profile');
    try {
      await setBehaviour(profiles.url, { mode: 'wrong-shape' });
      const profile = JSON.parse((await getText(profiles.url, '/profiles/u-1')).text) as Record<string, unknown>;
      assert.equal(typeof profile['entityId'], 'number');
      assert.equal(typeof profile['declaredInterests'], 'string');
    } finally {
      await profiles.stop();
    }
  });

  test('slow-body: headers at once, then the full body over about 2 s', async () => {
    await setBehaviour(url, { mode: 'slow-body' });
    const started = performance.now();
    const response = await fetch(`${url}${PATH}`);
    const headersMs = performance.now() - started;
    const text = await response.text();
    const bodyMs = performance.now() - started;
    assert.equal(response.status, 200);
    assert.ok(headersMs < 1_000, `headers after ${headersMs} ms`);
    assert.ok(bodyMs >= 1_500, `body complete after ${bodyMs} ms`);
    assert.equal(text, normalBody);
    await waitForStats(url, (s) => s.inFlight === 0);
  });

  test('slow-body: a client that stops reading ends the request', async () => {
    await setBehaviour(url, { mode: 'slow-body' });
    const controller = new AbortController();
    const response = await fetch(`${url}${PATH}`, { signal: controller.signal });
    assert.equal(response.status, 200);
    controller.abort();
    await waitForStats(url, (s) => s.inFlight === 0, 1_000);
  });

  test('truncated: Content-Length promises more than arrives, and the body read fails', async () => {
    await setBehaviour(url, { mode: 'truncated' });
    const result = await attempt();
    assert.equal(result.status, 200);
    assert.equal(Number(result.headers?.get('content-length')), Buffer.byteLength(normalBody));
    assert.ok(result.bodyError, 'reading the body must fail');
    await waitForStats(url, (s) => s.inFlight === 0);
  });

  test('status: always errorStatus, with Retry-After when asked; health stays 200', async () => {
    await setBehaviour(url, { mode: 'status', errorStatus: 429, retryAfterS: 3 });
    for (let i = 0; i < 3; i++) {
      const result = await attempt();
      assert.equal(result.status, 429);
      assert.equal(result.headers?.get('retry-after'), '3');
      assert.equal(typeof (JSON.parse(result.text ?? '') as { error: unknown }).error, 'string');
    }
    assert.equal((await getText(url, '/healthz')).text, '{"ok":true}');
    const stats = await getStats(url);
    assert.equal(stats.byOutcome['error'], 3);
  });

  test('failFirst: the next n requests fail, then answers are normal again', async () => {
    const set = await setBehaviour(url, { failFirst: 2, errorStatus: 503 });
    assert.equal(set['failFirst'], 2);
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await attempt()).status);
    assert.deepEqual(statuses, [503, 503, 200, 200]);
    const stats = await getStats(url);
    assert.deepEqual([stats.requests, stats.byOutcome['error'], stats.byOutcome['ok']], [4, 2, 2]);
    const behaviour = (await (await fetch(`${url}/_admin/behaviour`)).json()) as Record<string, unknown>;
    assert.equal(behaviour['failFirst'], 0);
  });

  test('errorRate: about that share fails, and the same sequence again after the same setting', async () => {
    const run = async () => {
      await setBehaviour(url, { errorRate: 0.5, errorStatus: 500 });
      const statuses: number[] = [];
      for (let i = 0; i < 40; i++) statuses.push((await getText(url, PATH)).status);
      return statuses;
    };
    const first = await run();
    const failures = first.filter((status) => status === 500).length;
    assert.ok(failures >= 10 && failures <= 30, `${failures} of 40 failed`);
    assert.ok(first.every((status) => status === 500 || status === 200));
    assert.deepEqual(await run(), first);
  });
});

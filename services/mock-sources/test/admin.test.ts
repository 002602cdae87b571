import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { getStats, getText, resetSource, setBehaviour, waitForStats } from './source-client.ts';
import { runMockSourceToExit, startMockSource, type RunningMockSource } from './mock-source-process.ts';

const PATH = '/profiles/u-42';
const ENV_DEFAULTS = {
  latencyMs: 5,
  jitterMs: 0,
  errorRate: 0,
  errorStatus: 502,
  retryAfterS: null,
  mode: 'normal',
  failFirst: 0,
};

let source: RunningMockSource;
let url: string;
before(async () => {
  source = await startMockSource('profile', { MOCK_LATENCY_MS: '5', MOCK_ERROR_STATUS: '502' });
  url = source.url;
});
after(() => source.stop());
beforeEach(() => resetSource(url));

async function putRaw(body: string) {
  const response = await fetch(`${url}/_admin/behaviour`, { method: 'PUT', body });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('PUT /_admin/behaviour', () => {
  test('changes only the fields given and answers the whole behaviour; DELETE returns to the env defaults', async () => {
    assert.deepEqual(await setBehaviour(url, {}), ENV_DEFAULTS);
    assert.deepEqual(await setBehaviour(url, { latencyMs: 0, retryAfterS: 7 }), {
      ...ENV_DEFAULTS,
      latencyMs: 0,
      retryAfterS: 7,
    });
    assert.deepEqual(await setBehaviour(url, { mode: 'garbage', retryAfterS: null }), {
      ...ENV_DEFAULTS,
      latencyMs: 0,
      mode: 'garbage',
    });
    const reset = await fetch(`${url}/_admin/behaviour`, { method: 'DELETE' });
    assert.deepEqual(await reset.json(), ENV_DEFAULTS);
    assert.deepEqual(await (await fetch(`${url}/_admin/behaviour`)).json(), ENV_DEFAULTS);
  });

  test('a bad body is 400 {"error"} and changes nothing', async () => {
    const bad = [
      'not json',
      '[]',
      '42',
      '{"mode":"sideways"}',
      '{"errorRate":1.5}',
      '{"errorStatus":200}',
      '{"latencyMs":-1}',
      '{"jitterMs":"10"}',
      '{"failFirst":1.5}',
      '{"retryAfterS":-3}',
      '{"latencyMS":10}',
    ];
    for (const body of bad) {
      const answer = await putRaw(body);
      assert.equal(answer.status, 400, body);
      assert.equal(typeof answer.body['error'], 'string', body);
    }
    assert.match(String((await putRaw('{"latencyMS":10}')).body['error']), /latencyMS/);
    assert.deepEqual(await (await fetch(`${url}/_admin/behaviour`)).json(), ENV_DEFAULTS);
  });
});

describe('latency', () => {
  test('is applied to data answers (errors included), never to health or admin', async () => {
    await setBehaviour(url, { latencyMs: 200, jitterMs: 0 });
    let started = performance.now();
    assert.equal((await getText(url, PATH)).status, 200);
    assert.ok(performance.now() - started >= 190, 'data');
    await setBehaviour(url, { failFirst: 1 });
    started = performance.now();
    assert.equal((await getText(url, PATH)).status, 502);
    assert.ok(performance.now() - started >= 190, 'injected error');
    started = performance.now();
    await getText(url, '/healthz');
    await getStats(url);
    assert.ok(performance.now() - started < 190, 'health and admin');
  });

  test('jitter spreads around the latency, never below latency - jitter', async () => {
    await setBehaviour(url, { latencyMs: 100, jitterMs: 50 });
    for (let i = 0; i < 4; i++) {
      const started = performance.now();
      await getText(url, PATH);
      assert.ok(performance.now() - started >= 45);
    }
  });
});

describe('GET /_admin/stats', () => {
  test('counts data requests by outcome, not health, admin or unknown routes; DELETE zeroes', async () => {
    await setBehaviour(url, { latencyMs: 0 });
    await getText(url, PATH);
    await getText(url, '/profiles/missing-7');
    await getText(url, '/healthz');
    await getText(url, '/nowhere');
    await setBehaviour(url, { failFirst: 1 });
    await getText(url, PATH);
    const stats = await getStats(url);
    assert.equal(stats.requests, 3);
    assert.equal(stats.inFlight, 0);
    assert.deepEqual(stats.byOutcome, {
      ok: 1,
      'not-found': 1,
      'bad-request': 0,
      error: 1,
      hang: 0,
      reset: 0,
      garbage: 0,
      'wrong-shape': 0,
      'slow-body': 0,
      truncated: 0,
    });
    const zeroed = (await (await fetch(`${url}/_admin/stats`, { method: 'DELETE' })).json()) as typeof stats;
    assert.equal(zeroed.requests, 0);
    assert.ok(Object.values(zeroed.byOutcome).every((count) => count === 0));
  });

  test('inFlight counts requests being answered, and zeroing leaves them counted', async () => {
    await setBehaviour(url, { latencyMs: 300 });
    const pending = Promise.all([getText(url, PATH), getText(url, PATH)]);
    await waitForStats(url, (s) => s.inFlight === 2);
    await fetch(`${url}/_admin/stats`, { method: 'DELETE' });
    assert.deepEqual([(await getStats(url)).requests, (await getStats(url)).inFlight], [0, 2]);
    await pending;
    await waitForStats(url, (s) => s.inFlight === 0);
  });
});

describe('the process', () => {
  test('env defaults apply from the start', async () => {
    const failing = await startMockSource('events', { MOCK_ERROR_RATE: '1', MOCK_ERROR_STATUS: '504' });
    try {
      const { status, text } = await getText(failing.url, '/users/u-1/events');
      assert.equal(status, 504);
      assert.match(text, /"error"/);
      assert.equal((await getText(failing.url, '/healthz')).status, 200);
    } finally {
      await failing.stop();
    }
  });

  test('SIGTERM closes the server and exits 0, even with a request hanging', async () => {
    const doomed = await startMockSource('events');
    await setBehaviour(doomed.url, { mode: 'hang' });
    const hanging = fetch(`${doomed.url}/users/u-1/events`).then(
      () => 'answered',
      () => 'cut off',
    );
    await waitForStats(doomed.url, (s) => s.inFlight === 1);
    assert.equal(await doomed.stop('SIGTERM'), 0);
    assert.equal(await hanging, 'cut off');
  });

  test('a bad environment stops start-up with the variable named', async () => {
    const missing = await runMockSourceToExit({});
    assert.notEqual(missing.code, 0);
    assert.match(missing.stderr, /MOCK_SOURCE/);
    const bad = await runMockSourceToExit({ MOCK_SOURCE: 'profile', MOCK_ERROR_RATE: '2' });
    assert.notEqual(bad.code, 0);
    assert.match(bad.stderr, /MOCK_ERROR_RATE/);
  });
});

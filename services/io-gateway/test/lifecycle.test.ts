import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setBehaviour } from '../../mock-sources/test/source-client.ts';
import { post, startStack } from './stack.ts';

test('SIGTERM: requests in flight complete, readiness turns false, exit code 0', async () => {
  const stack = await startStack();
  try {
    assert.equal((await post(stack.gateway.url, '/v1/score', { entityId: 'u-warm' })).status, 200);
    await setBehaviour(stack.profile.url, { latencyMs: 300 });
    const inFlight = Array.from({ length: 10 }, (_, i) =>
      post(stack.gateway.url, '/v1/score', { entityId: `u-t-${i}` }),
    );
    await new Promise((resolve) => setTimeout(resolve, 100));
    stack.gateway.child.kill('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 20));
    const ready = await fetch(`${stack.gateway.url}/readyz`).then(
      (response) => response.status,
      () => 'refused',
    );
    // Sent just after the signal, as a request in transit arrives: served, not refused.
    const late = post(stack.gateway.url, '/v1/score', { entityId: 'u-late' });
    const answers = await Promise.all([...inFlight, late]);
    assert.deepEqual(
      answers.map((a) => a.status),
      new Array(11).fill(200),
    );
    assert.ok(ready === 503 || ready === 'refused', `readiness answered ${ready} while draining`);
    assert.equal(await stack.gateway.exited, 0);
    assert.ok(stack.gateway.logs.some((entry) => entry['message'] === 'drained'));
  } finally {
    await stack.stop();
  }
});

test('a bad configuration stops start-up with the variable named', async () => {
  const stack = await startStack();
  try {
    await assert.rejects(stack.startGateway({ SCORER_URL: 'ftp://nope' }), /SCORER_URL/);
    await assert.rejects(stack.startGateway({ PROFILE_SERVICE_URL: 'http://user:pw@host' }), /PROFILE_SERVICE_URL/);
    await assert.rejects(stack.startGateway({ PIPELINES: '/nonexistent.yaml' }), /nonexistent\.yaml/);
  } finally {
    await stack.stop();
  }
});

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { problemDetailsSchema } from '@splitserve/contracts';
import { readMetric } from '@splitserve/test-support';
import { post, startStack, type Stack } from './stack.ts';

/** A lag limit well under the blocks below, and the fault route that makes them. */
const GATEWAY_ENV = { SHED_EVENT_LOOP_LAG_MS: '50', GATEWAY_FAULT_INJECTION: 'true' };

let stack: Stack;
before(async () => {
  stack = await startStack({ gatewayEnv: GATEWAY_ENV });
});
after(() => stack.stop());

const score = (entityId: string) => post(stack.gateway.url, '/v1/score', { entityId });

test('while the event loop is saturated, /v1 is shed with a fast 503 OVERLOADED, and served again after', async () => {
  // A first request ends the window that started with the process: the next one starts now.
  assert.equal((await score('u-shed-0')).status, 200);
  const shedBefore = await readMetric(stack.gateway.url, 'gateway_shed_total');
  // Keep the loop busy for 120 ms at a time, back to back, for longer than a window (500 ms).
  for (let i = 0; i < 6; i++) assert.equal((await post(stack.gateway.url, '/debug/block?ms=120', {})).status, 200);
  const shed = await score('u-shed-1');
  assert.equal(shed.status, 503, JSON.stringify(shed.body));
  assert.equal(problemDetailsSchema.parse(shed.body).code, 'OVERLOADED');
  assert.equal(shed.headers.get('retry-after'), '1');
  assert.equal((await fetch(`${stack.gateway.url}/healthz`)).status, 200, 'liveness is never shed');
  assert.equal(await readMetric(stack.gateway.url, 'gateway_shed_total'), shedBefore + 1);
  // Once a whole window has passed with the loop free, the verdict is renewed.
  await sleep(1_200);
  const served = await score('u-shed-2');
  assert.equal(served.status, 200, JSON.stringify(served.body));
});

test('the loop-blocking route exists only when fault injection is on', async () => {
  const plain = await stack.startGateway();
  assert.equal((await post(plain.url, '/debug/block?ms=1', {})).status, 404);
  await plain.stop();
});

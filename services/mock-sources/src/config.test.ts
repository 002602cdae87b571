import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfig } from './config.ts';

test('defaults apply, with the port chosen by the source', () => {
  const profile = loadConfig({ MOCK_SOURCE: 'profile' });
  assert.equal(profile.port, 8091);
  assert.equal(profile.host, '0.0.0.0');
  assert.deepEqual(profile.defaultBehaviour, {
    latencyMs: 70,
    jitterMs: 10,
    errorRate: 0,
    errorStatus: 503,
    retryAfterS: null,
    mode: 'normal',
    failFirst: 0,
  });
  assert.ok(Object.isFrozen(profile) && Object.isFrozen(profile.defaultBehaviour));
  assert.equal(loadConfig({ MOCK_SOURCE: 'events' }).port, 8092);
  assert.equal(loadConfig({ MOCK_SOURCE: 'events', PORT: '0' }).port, 0);
});

test('values are parsed from strings; empty ones count as unset', () => {
  const config = loadConfig({ MOCK_SOURCE: 'events', MOCK_LATENCY_MS: '5', MOCK_ERROR_RATE: '0.25', PORT: '' });
  assert.equal(config.defaultBehaviour.latencyMs, 5);
  assert.equal(config.defaultBehaviour.errorRate, 0.25);
  assert.equal(config.port, 8092);
});

test('a bad value fails with the variable named', () => {
  assert.throws(() => loadConfig({}), /MOCK_SOURCE/);
  assert.throws(() => loadConfig({ MOCK_SOURCE: 'orders' }), /MOCK_SOURCE/);
  assert.throws(() => loadConfig({ MOCK_SOURCE: 'profile', PORT: 'eighty' }), /PORT/);
  assert.throws(() => loadConfig({ MOCK_SOURCE: 'profile', MOCK_JITTER_MS: '-1' }), /MOCK_JITTER_MS/);
  assert.throws(() => loadConfig({ MOCK_SOURCE: 'profile', MOCK_ERROR_RATE: '1.5' }), /MOCK_ERROR_RATE/);
  assert.throws(() => loadConfig({ MOCK_SOURCE: 'profile', MOCK_ERROR_STATUS: '200' }), /MOCK_ERROR_STATUS/);
});

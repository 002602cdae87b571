import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfig } from './config.ts';

test('defaults apply when the environment sets nothing', () => {
  const config = loadConfig({});
  assert.equal(config.port, 8081);
  assert.equal(config.faultInjection, false);
  assert.ok(config.modelRepository.endsWith('model-repository'));
  assert.ok(Object.isFrozen(config));
});

test('values are parsed from strings, and the deadline default never exceeds the maximum', () => {
  const config = loadConfig({
    PORT: '9000',
    SCORER_FAULT_INJECTION: 'true',
    DEFAULT_TIMEOUT_MS: '5000',
    MAX_TIMEOUT_MS: '2000',
  });
  assert.equal(config.port, 9000);
  assert.equal(config.faultInjection, true);
  assert.equal(config.defaultTimeoutMs, 2000);
});

test('a bad value fails start-up with the variable named', () => {
  assert.throws(() => loadConfig({ PORT: 'eighty' }), /PORT/);
  assert.throws(() => loadConfig({ SCORER_WORKER_NICE: '25' }), /SCORER_WORKER_NICE/);
  assert.throws(() => loadConfig({ SCORER_FAULT_INJECTION: 'yes' }), /SCORER_FAULT_INJECTION/);
  assert.throws(() => loadConfig({ LOG_LEVEL: 'loud' }), /LOG_LEVEL/);
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadConfig } from './config.ts';

test('GCE_METADATA_HOST must be a host or host:port, so token requests cannot be sent elsewhere', async () => {
  for (const host of ['metadata.google.internal', '169.254.169.254', '127.0.0.1:8080', '[::1]:9000']) {
    const config = await loadConfig({ SCORER_AUTH: 'google-id-token', GCE_METADATA_HOST: host });
    assert.deepEqual(config.scorer.auth, {
      kind: 'google-id-token',
      audience: 'http://127.0.0.1:8081',
      metadataHost: host,
    });
  }
  for (const host of ['evil.example/x?', 'metadata@evil.example', 'http://metadata', 'host:port', 'a b', '.']) {
    await assert.rejects(loadConfig({ GCE_METADATA_HOST: host }), /GCE_METADATA_HOST: must be a host or host:port/);
  }
});

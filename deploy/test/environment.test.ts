import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { asCloudRunService, environmentOf, serviceOf } from './cloud-run-service.ts';
import { composeEnvironment, composeServiceKind, readCompose } from './compose-file.ts';
import { dryRun } from './dry-run.ts';
import {
  loadServiceConfig,
  requiredVariables,
  variablesRead,
  type Environment,
  type ServiceName,
} from './service-configs.ts';

// Cloud Run sets these itself and refuses manifests that set them.
const CLOUD_RUN_RESERVED = ['PORT', 'K_SERVICE', 'K_REVISION', 'K_CONFIGURATION'];

type Deployment = { where: string; service: ServiceName; env: Environment };

async function deployments(): Promise<Deployment[]> {
  const compose = await readCompose();
  const fromCompose = Object.entries(compose.services).map(([name, service]) => ({
    where: `docker-compose.yml ${name}`,
    service: composeServiceKind(name, service),
    env: composeEnvironment(service),
  }));
  const fromManifests = [];
  for (const extra of [[], ['--model-bucket', 'splitserve-models']]) {
    const { code, stderr, manifests } = await dryRun(extra);
    assert.equal(code, 0, stderr);
    for (const file of ['scorer.yaml', 'io-gateway.yaml']) {
      const manifest = asCloudRunService(manifests[file], file);
      fromManifests.push({
        where: `deploy/cloud-run/${file}${extra.length > 0 ? ' (with --model-bucket)' : ''}`,
        service: serviceOf(manifest),
        env: environmentOf(manifest),
      });
    }
  }
  return [...fromCompose, ...fromManifests];
}

const all = await deployments();

describe('environment variables of the Compose services and the Cloud Run manifests', () => {
  test('cover every service', () => {
    assert.deepEqual(new Set(all.map((d) => d.service)), new Set(['scorer', 'io-gateway', 'mock-sources']));
  });

  test("are each read by the service's config (its variable list, and the gateway's pipeline baseUrlEnv)", async () => {
    for (const { where, service, env } of all) {
      const read = new Set(await variablesRead(service, env));
      for (const name of Object.keys(env)) assert.ok(read.has(name), `${where}: ${service} does not read ${name}`);
    }
  });

  test('include every variable the service requires', async () => {
    const required = {
      scorer: await requiredVariables('scorer'),
      'io-gateway': await requiredVariables('io-gateway'),
      'mock-sources': await requiredVariables('mock-sources'),
    };
    // The check bites: the mock sources cannot start without MOCK_SOURCE.
    assert.deepEqual(required['mock-sources'], ['MOCK_SOURCE']);
    for (const { where, service, env } of all) {
      for (const name of required[service]) assert.ok(env[name], `${where}: ${service} requires ${name}`);
    }
  });

  test('set the URL of every feature source the gateway pipelines name (their defaults are 127.0.0.1)', async () => {
    for (const { where, env } of all.filter((d) => d.service === 'io-gateway')) {
      const loaded = await loadServiceConfig('io-gateway', env);
      assert.equal(loaded.service, 'io-gateway');
      for (const pipeline of loaded.pipelines) {
        for (const [name, source] of Object.entries(pipeline.sources)) {
          assert.ok(source.baseUrlEnv !== undefined && env[source.baseUrlEnv], `${where}: source ${name} URL`);
        }
      }
    }
  });

  test("are accepted by the service's config as they are (values included)", async () => {
    for (const { where, service, env } of all) {
      await assert.doesNotReject(loadServiceConfig(service, env), where);
    }
  });

  test('leave PORT and the other variables Cloud Run reserves to Cloud Run', () => {
    for (const { where, env } of all.filter((d) => d.where.startsWith('deploy/'))) {
      for (const name of CLOUD_RUN_RESERVED) assert.equal(env[name], undefined, `${where}: ${name}`);
    }
  });
});

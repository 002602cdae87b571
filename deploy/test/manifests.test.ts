import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { describe, test } from 'node:test';
import { parse } from 'yaml';
import { asCloudRunService, containerOf, environmentOf, type CloudRunService } from './cloud-run-service.ts';
import { parseDockerfile } from './dockerfile.ts';
import { dryRun } from './dry-run.ts';
import { loadServiceConfig } from './service-configs.ts';

const PROJECT = 'splitserve-test';
const REGISTRY = `europe-west1-docker.pkg.dev/${PROJECT}/splitserve`;
// Cloud Run's limits: SIGKILL 10 s after SIGTERM; a startup probe may take at most 240 s.
const SIGTERM_GRACE_MS = 10_000;
const MAX_STARTUP_SECONDS = 240;

const plain = await dryRun();
const withBucket = await dryRun(['--model-bucket', 'splitserve-models']);
assert.equal(plain.code, 0, plain.stderr);
assert.equal(withBucket.code, 0, withBucket.stderr);
const dockerfile = parseDockerfile(await readFile(new URL('../../Dockerfile', import.meta.url), 'utf8'));
const scorer = asCloudRunService(plain.manifests['scorer.yaml'], 'scorer.yaml');
const gateway = asCloudRunService(plain.manifests['io-gateway.yaml'], 'io-gateway.yaml');
const scorerWithBucket = asCloudRunService(withBucket.manifests['scorer.yaml'], 'scorer.yaml');

const annotations = (service: CloudRunService) => service.spec.template.metadata.annotations;
const cpus = (service: CloudRunService) => Number(containerOf(service).resources.limits.cpu);

async function scorerConfig() {
  const loaded = await loadServiceConfig('scorer', environmentOf(scorer));
  assert.equal(loaded.service, 'scorer');
  return loaded.config;
}

async function gatewayConfig() {
  const loaded = await loadServiceConfig('io-gateway', environmentOf(gateway));
  assert.equal(loaded.service, 'io-gateway');
  return loaded;
}

describe('Cloud Run manifests (rendered by deploy.sh --dry-run)', () => {
  test('the scorer is internal only and invocable by the gateway service account alone', () => {
    assert.equal(scorer.metadata.annotations?.['run.googleapis.com/ingress'], 'internal');
    assert.notEqual(annotations(scorer)['run.googleapis.com/invoker-iam-disabled'], 'true');
    assert.deepEqual(plain.manifests['scorer-invokers.yaml'], {
      bindings: [
        { role: 'roles/run.invoker', members: [`serviceAccount:${gateway.spec.template.spec.serviceAccountName}`] },
      ],
    });
  });

  test('each service runs as its own service account', () => {
    assert.equal(scorer.spec.template.spec.serviceAccountName, `splitserve-scorer@${PROJECT}.iam.gserviceaccount.com`);
    assert.equal(
      gateway.spec.template.spec.serviceAccountName,
      `splitserve-gateway@${PROJECT}.iam.gserviceaccount.com`,
    );
  });

  test('the gateway calls the scorer at its run.app URL with Google ID tokens, through the VPC', async () => {
    const { config } = await gatewayConfig();
    assert.equal(config.scorer.url, `https://splitserve-scorer-project-number.europe-west1.run.app`);
    assert.equal(config.scorer.auth.kind, 'google-id-token');
    assert.equal(annotations(gateway)['run.googleapis.com/vpc-access-egress'], 'all-traffic');
    const interfaces = JSON.parse(annotations(gateway)['run.googleapis.com/network-interfaces'] ?? '') as unknown;
    assert.deepEqual(interfaces, [{ network: 'default', subnetwork: 'default' }]);
    assert.equal(gateway.metadata.annotations?.['run.googleapis.com/ingress'], 'all');
  });

  test('both keep CPU allocated, boost it at start-up, and bound their instance counts', () => {
    for (const service of [scorer, gateway]) {
      const a = annotations(service);
      assert.equal(a['run.googleapis.com/cpu-throttling'], 'false', service.metadata.name);
      assert.equal(a['run.googleapis.com/startup-cpu-boost'], 'true', service.metadata.name);
      const min = Number(a['autoscaling.knative.dev/minScale']);
      const max = Number(a['autoscaling.knative.dev/maxScale']);
      assert.ok(Number.isInteger(min) && min >= 1 && max >= min, `${service.metadata.name}: ${min}..${max}`);
    }
  });

  test('the scorer: one worker per vCPU, and container concurrency = workers x max batch size x 2', async () => {
    const config = await scorerConfig();
    assert.equal(config.modelDefaults.instances, cpus(scorer));
    // The reference model of the capacity figures (about 30 ms of CPU per row).
    const heavy = JSON.parse(
      await readFile(
        new URL('../../services/scorer/model-repository/interests-heavy/config.json', import.meta.url),
        'utf8',
      ),
    ) as { maxBatchSize: number };
    assert.equal(
      scorer.spec.template.spec.containerConcurrency,
      config.modelDefaults.instances * heavy.maxBatchSize * 2,
    );
    assert.ok(cpus(scorer) >= 1 && /^\d+(Mi|Gi)$/.test(containerOf(scorer).resources.limits.memory));
    // Cloud Run's minimum memory for 4 vCPUs.
    if (cpus(scorer) >= 4) assert.match(containerOf(scorer).resources.limits.memory, /^([2-9]|\d{2,})Gi$/);
  });

  test('the gateway: high concurrency, under the bulkheads of its dependencies', async () => {
    const { config, pipelines } = await gatewayConfig();
    const concurrency = gateway.spec.template.spec.containerConcurrency;
    assert.ok(concurrency >= 500 && concurrency <= 1000, `containerConcurrency ${concurrency}`);
    const bulkheads = [
      config.scorer.policy.bulkhead.maxConcurrent,
      ...pipelines.flatMap((p) => Object.values(p.sources).map((s) => s.bulkhead.maxConcurrent)),
    ];
    assert.ok(concurrency <= Math.min(...bulkheads), `${concurrency} <= ${Math.min(...bulkheads)}`);
    assert.ok(cpus(gateway) >= 1, 'concurrency above 1 needs at least one vCPU');
  });

  test('request timeouts outlast the services own deadlines; drains end before SIGKILL', async () => {
    const scorerSettings = await scorerConfig();
    const { config: gatewaySettings } = await gatewayConfig();
    assert.ok(scorer.spec.template.spec.timeoutSeconds * 1000 > scorerSettings.maxTimeoutMs);
    assert.ok(gateway.spec.template.spec.timeoutSeconds * 1000 > gatewaySettings.requestTimeoutMs);
    assert.ok(scorerSettings.shutdownTimeoutMs < SIGTERM_GRACE_MS);
    assert.ok(gatewaySettings.shutdownTimeoutMs < SIGTERM_GRACE_MS);
  });

  test('probes ask the health routes on the container port the image EXPOSEs, within Cloud Run limits', () => {
    const routes = [
      [scorer, '/v2/health/ready', '/v2/health/live'],
      [gateway, '/readyz', '/healthz'],
    ] as const;
    for (const [service, ready, live] of routes) {
      const container = containerOf(service);
      const port = container.ports[0]?.containerPort;
      assert.equal(container.startupProbe.httpGet.path, ready);
      assert.equal(container.livenessProbe.httpGet.path, live);
      for (const probe of [container.startupProbe, container.livenessProbe]) {
        assert.equal(probe.httpGet.port, port, `${service.metadata.name}: probe port`);
        assert.ok(probe.timeoutSeconds <= probe.periodSeconds, `${service.metadata.name}: probe timeout`);
      }
      const image = /\/([^/:]+):/.exec(container.image)?.[1] ?? '';
      const exposed = dockerfile.stage(image).instructions.filter((i) => i.keyword === 'EXPOSE');
      assert.deepEqual(
        exposed.map((i) => i.value),
        [String(port)],
        `${service.metadata.name}: the image EXPOSEs the container port`,
      );
      const { initialDelaySeconds = 0, periodSeconds, failureThreshold } = container.startupProbe;
      assert.ok(initialDelaySeconds + periodSeconds * failureThreshold <= MAX_STARTUP_SECONDS);
    }
  });

  test('images are the ones Cloud Build pushes, from the Dockerfile targets, tagged as asked', async () => {
    assert.equal(containerOf(scorer).image, `${REGISTRY}/scorer:v1-test`);
    assert.equal(containerOf(gateway).image, `${REGISTRY}/io-gateway:v1-test`);
    const build = parse(await readFile(new URL('../cloudbuild.yaml', import.meta.url), 'utf8')) as {
      steps: { args: string[] }[];
      images: string[];
    };
    const submit = plain.commands.find((c) => c.startsWith('gcloud builds submit'));
    assert.ok(submit?.includes(`_REGISTRY=${REGISTRY}\\,_IMAGE_TAG=v1-test`), submit);
    const substitute = (text: string) => text.replace('${_REGISTRY}', REGISTRY).replace('${_IMAGE_TAG}', 'v1-test');
    assert.deepEqual(build.images.map(substitute), [containerOf(scorer).image, containerOf(gateway).image]);
    for (const step of build.steps) {
      const target = step.args[step.args.indexOf('--target') + 1]!;
      dockerfile.stage(target);
      assert.ok(build.images.map(substitute).includes(substitute(step.args[step.args.indexOf('--tag') + 1]!)));
    }
  });

  test('every revision takes all the traffic once ready (rollback: update-traffic --to-revisions)', () => {
    for (const service of [scorer, gateway])
      assert.deepEqual(service.spec.traffic, [{ percent: 100, latestRevision: true }]);
  });

  test('with --model-bucket the scorer reads its models from a read-only Cloud Storage volume', () => {
    assert.equal(scorer.spec.template.spec.volumes, undefined);
    assert.equal(environmentOf(scorer)['MODEL_REPOSITORY'], undefined, 'the image has the demo models');
    const spec = scorerWithBucket.spec.template.spec;
    assert.deepEqual(spec.volumes, [
      {
        name: 'models',
        csi: {
          driver: 'gcsfuse.run.googleapis.com',
          readOnly: true,
          volumeAttributes: { bucketName: 'splitserve-models' },
        },
      },
    ]);
    assert.deepEqual(containerOf(scorerWithBucket).volumeMounts, [
      { name: 'models', mountPath: '/models', readOnly: true },
    ]);
    assert.equal(environmentOf(scorerWithBucket)['MODEL_REPOSITORY'], '/models');
    assert.equal(annotations(scorerWithBucket)['run.googleapis.com/execution-environment'], 'gen2');
    const grant = withBucket.commands.find((c) => c.startsWith('gcloud storage buckets add-iam-policy-binding'));
    assert.match(
      grant ?? '',
      /gs:\/\/splitserve-models .*serviceAccount:splitserve-scorer@.* roles\/storage\.objectViewer/,
    );
  });
});

// The closest thing to `docker compose up` without an engine: builds the three images' production trees by running
// the Dockerfile's own commands (deploy/test/emulated-build.ts) in a folder outside the workspace, starts each
// service from its tree alone, with docker-compose.yml's environment, and asks what Compose and Cloud Run ask.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { access, mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { startService, type RunningService } from '@splitserve/test-support';
import { copyBuildContext, parseDockerignore } from './build-context.ts';
import { asCloudRunService, containerOf } from './cloud-run-service.ts';
import { composeEnvironment, composeServiceKind, readCompose, type ComposeService } from './compose-file.ts';
import { dryRun } from './dry-run.ts';
import { parseDockerfile } from './dockerfile.ts';
import { createEmulator, type BuiltStage } from './emulated-build.ts';
import { SERVICES, type ServiceName } from './service-configs.ts';

const execFileAsync = promisify(execFile);
const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

type Running = { name: string; kind: ServiceName; compose: ComposeService; process: RunningService };

const compose = await readCompose();
const dockerfile = parseDockerfile(await readFile(join(REPO_ROOT, 'Dockerfile'), 'utf8'));
let scratch = '';
const images = new Map<ServiceName, BuiltStage>();
const running = new Map<string, Running>();
const timings: string[] = [];

async function timed<T>(label: string, work: () => Promise<T>): Promise<T> {
  const startedAt = performance.now();
  const result = await work();
  timings.push(`${label} ${Math.round(performance.now() - startedAt)} ms`);
  return result;
}

/** The settings of pnpm and of this machine the emulated RUN commands need: the shared store, no network. */
function hostEnvironment(): Record<string, string> {
  const names = Object.keys(process.env).filter((name) =>
    /^(PATH|HOME|XDG_\w+|PNPM_HOME|pnpm_config_store_dir)$/.test(name),
  );
  return { ...Object.fromEntries(names.map((name) => [name, process.env[name]!])), pnpm_config_prefer_offline: 'true' };
}

/** Starts a Compose service from its image's tree, its calls to other Compose services pointed at their processes. */
async function startFromImage(name: string): Promise<Running> {
  const service = compose.services[name]!;
  const kind = composeServiceKind(name, service);
  const image = images.get(kind)!;
  const [program, main] = image.cmd ?? [];
  assert.equal(program, 'node');
  const env = composeEnvironment(service);
  for (const [variable, value] of Object.entries(env)) {
    const callee = /^http:\/\/([a-z-]+):\d+$/.exec(value)?.[1];
    if (callee !== undefined) env[variable] = running.get(callee)!.process.url;
  }
  const process = await startService({
    main: join(image.root, image.workdir, main!),
    // PORT 0: an ephemeral port instead of Compose's fixed one, on a machine others share. A roomier gateway
    // deadline than its 1 s default, for a first request on that busy machine.
    env: { ...env, PORT: '0', ...(kind === 'io-gateway' ? { REQUEST_TIMEOUT_MS: '5000' } : {}) },
    readyMessage: kind === 'scorer' ? 'ready' : undefined,
    timeoutMs: 60_000,
  });
  const started = { name, kind, compose: service, process };
  running.set(name, started);
  return started;
}

/** The packages a node_modules folder links: `name` and `@scope/name` entries, without `.bin` and pnpm's files. */
async function linkedPackages(folder: string): Promise<string[]> {
  const names: string[] = [];
  for (const entry of await readdir(folder)) {
    if (entry.startsWith('.')) continue;
    if (entry.startsWith('@')) names.push(...(await readdir(join(folder, entry))).map((name) => `${entry}/${name}`));
    else names.push(entry);
  }
  return names;
}

/** Runs a Compose healthcheck command (`CMD node -e ...`) as the container would, with the service's PORT. */
async function runHealthcheck(started: Running): Promise<void> {
  const [, , flag, script] = started.compose.healthcheck!.test as string[];
  const port = new URL(started.process.url).port;
  await execFileAsync(process.execPath, [flag!, script!], { env: { PORT: port }, timeout: 10_000 });
}

describe('images, built from the Dockerfile without an engine and run from their trees', () => {
  before(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'splitserve-images-'));
    // Node must find nothing outside the tree: no node_modules in any folder above it.
    for (let folder = dirname(scratch); folder !== dirname(folder); folder = dirname(folder)) {
      await assert.rejects(access(join(folder, 'node_modules')), `${folder}/node_modules would leak into the trees`);
    }
    const context = join(scratch, 'context');
    const rules = parseDockerignore(await readFile(join(REPO_ROOT, '.dockerignore'), 'utf8'));
    await timed('context', () => copyBuildContext(REPO_ROOT, context, rules));
    const build = createEmulator({
      dockerfile,
      context,
      scratch: join(scratch, 'stages'),
      runStages: ['fetched', ...SERVICES.map((service) => `${service}-tree`)],
      hostEnv: hostEnvironment(),
    });
    for (const service of SERVICES) images.set(service, await timed(`image ${service}`, () => build(service)));
    const byKind = (kind: ServiceName) =>
      Object.keys(compose.services).filter((n) => composeServiceKind(n, compose.services[n]!) === kind);
    await timed('start scorer and mock sources', () =>
      Promise.all([...byKind('scorer'), ...byKind('mock-sources')].map(startFromImage)),
    );
    await timed('start gateway', () => Promise.all(byKind('io-gateway').map(startFromImage)));
  });

  after(async () => {
    await Promise.all([...running.values()].map((r) => r.process.stop()));
    if (scratch !== '') await rm(scratch, { recursive: true, force: true });
    console.log(`timings: ${timings.join(', ')}`);
  });

  test('the pnpm that ran the install steps is the one the image installs', async () => {
    const { stdout } = await execFileAsync('pnpm', ['--version']);
    const skipped = [...images.values()].flatMap((image) => image.skippedRuns);
    assert.ok(
      skipped.includes(
        `toolchain: npm install --global --no-fund --no-audit --no-update-notifier "pnpm@\${PNPM_VERSION}"`,
      ),
    );
    const pnpmVersion = /PNPM_VERSION=(\S+)/.exec(await readFile(join(REPO_ROOT, 'Dockerfile'), 'utf8'))?.[1];
    assert.equal(stdout.trim(), pnpmVersion);
    for (const run of new Set(skipped))
      assert.match(run, /^(toolchain: npm install --global|runtime: rm -rf \/usr\/local\/)/);
  });

  test('each tree holds its service, the workspace libraries it uses (outside node_modules), and no tests', async () => {
    for (const [service, image] of images) {
      const app = join(image.root, 'app');
      assert.deepEqual((await readdir(join(app, 'services'))).sort(), [service]);
      const libraries = await readdir(join(app, 'libs')).catch((): string[] => []);
      assert.ok(!libraries.includes('test-support'), `${service}: no dev-only library`);
      const { stdout } = await execFileAsync('find', [app, '-name', '*.test.ts', '-not', '-path', '*/node_modules/*']);
      assert.equal(stdout, '', `${service}: no tests`);
      await assert.rejects(access(join(app, 'services', service, 'test')));
      const store = await readdir(join(app, 'node_modules', '.pnpm'));
      for (const devOnly of ['typescript@', 'eslint@', 'prettier@', 'fast-check@', 'onnx-proto@']) {
        assert.ok(!store.some((entry) => entry.startsWith(devOnly)), `${service}: no ${devOnly}`);
      }
      // The service's own node_modules links exactly its production dependencies.
      const manifest = JSON.parse(await readFile(join(app, 'services', service, 'package.json'), 'utf8')) as {
        dependencies?: Record<string, string>;
      };
      const linked = await linkedPackages(join(app, 'services', service, 'node_modules'));
      assert.deepEqual(linked.sort(), Object.keys(manifest.dependencies ?? {}).sort(), `${service}: node_modules`);
      assert.equal(
        store.some((entry) => entry.startsWith('onnxruntime-node@')),
        service === 'scorer',
        service,
      );
      assert.equal(image.user, 'node');
    }
    const scorer = join(images.get('scorer')!.root, 'app');
    assert.ok((await readdir(join(scorer, 'services/scorer/model-repository'))).includes('interests'), 'demo models');
    const binaries = await readdir(
      join(scorer, 'node_modules/.pnpm/onnxruntime-node@1.30.0/node_modules/onnxruntime-node/bin/napi-v6'),
      { recursive: true },
    );
    assert.deepEqual(
      binaries.filter((path) => path.split('/').length === 2),
      [`linux/${process.arch}`],
    );
  });

  test('every Compose healthcheck passes against its service', async () => {
    for (const started of running.values()) await runHealthcheck(started);
  });

  test('the Cloud Run startup and liveness probes answer 200 on the scorer and the gateway', async () => {
    const { manifests } = await dryRun();
    for (const file of ['scorer.yaml', 'io-gateway.yaml']) {
      const container = containerOf(asCloudRunService(manifests[file], file));
      const kind = file === 'scorer.yaml' ? 'scorer' : 'io-gateway';
      const started = [...running.values()].find((r) => r.kind === kind)!;
      for (const probe of [container.startupProbe, container.livenessProbe]) {
        const response = await fetch(`${started.process.url}${probe.httpGet.path}`);
        assert.equal(response.status, 200, `${file} ${probe.httpGet.path}`);
        await response.body?.cancel();
      }
    }
  });

  test('the stack answers a score through the gateway (mock sources -> gateway -> scorer)', async () => {
    const gateway = running.get('gateway')!.process;
    const response = await fetch(`${gateway.url}/v1/score`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ entityId: 'u-music-7', topK: 3 }),
    });
    const body = (await response.json()) as { scores?: { label: string }[]; degraded?: string[] };
    assert.equal(response.status, 200, JSON.stringify(body));
    assert.equal(body.scores?.[0]?.label, 'music');
    assert.deepEqual(body.degraded, []);
  });
});

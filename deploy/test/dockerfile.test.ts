import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { describe, test } from 'node:test';
import { parse } from 'yaml';
import { isIgnored, parseDockerignore } from './build-context.ts';
import { assignments, parseDockerfile, stageChain, type Stage } from './dockerfile.ts';
import { SERVICES } from './service-configs.ts';

const read = (path: string) => readFile(new URL(path, import.meta.url), 'utf8');
const dockerfile = parseDockerfile(await read('../../Dockerfile'));
const treeScript = await read('../docker/production-tree.sh');

const stageNames = new Set(dockerfile.stages.map((stage) => stage.name));
const valuesOf = (stage: Stage, keyword: string) =>
  stage.instructions.filter((i) => i.keyword === keyword).map((i) => i.value);
const envOf = (name: string) =>
  Object.assign({}, ...stageChain(dockerfile, name).flatMap((s) => valuesOf(s, 'ENV').map(assignments))) as Record<
    string,
    string
  >;

describe('Dockerfile', () => {
  test('has a runtime target and a tree stage per service', () => {
    for (const service of SERVICES) {
      assert.ok(stageNames.has(service), `target ${service}`);
      assert.ok(stageNames.has(`${service}-tree`), `stage ${service}-tree`);
    }
  });

  test('builds on a glibc Node 24 slim image, never Alpine', () => {
    const images = dockerfile.stages.map((stage) => stage.from).filter((from) => !stageNames.has(from));
    assert.ok(images.length > 0);
    for (const image of images) {
      assert.match(image, /^node:24(\.\d+){0,2}-(bookworm|trixie)-slim(@sha256:[\da-f]{64})?$/);
      assert.doesNotMatch(image, /alpine/);
    }
  });

  test('installs the pnpm of package.json, and never runs onnxruntime-node postinstall', async () => {
    const packageManager = (JSON.parse(await read('../../package.json')) as { packageManager: string }).packageManager;
    const pnpmVersion = valuesOf(dockerfile.stage('toolchain'), 'ARG').map(assignments)[0]?.['PNPM_VERSION'];
    assert.equal(`pnpm@${pnpmVersion}`, packageManager);
    const workspace = parse(await read('../../pnpm-workspace.yaml')) as { allowBuilds?: Record<string, boolean> };
    assert.equal(workspace.allowBuilds?.['onnxruntime-node'], false, 'pnpm-workspace.yaml denies its build script');
    for (const service of SERVICES) {
      assert.equal(envOf(`${service}-tree`)['ONNXRUNTIME_NODE_INSTALL'], 'skip', `${service}-tree`);
    }
  });

  test('installs production dependencies only: pnpm fetch --prod, then an offline --prod install of the service', () => {
    assert.deepEqual(valuesOf(dockerfile.stage('fetched'), 'RUN'), ['pnpm fetch --prod && rm -rf node_modules']);
    for (const service of SERVICES) {
      assert.deepEqual(valuesOf(dockerfile.stage(`${service}-tree`), 'RUN'), [
        `sh deploy/docker/production-tree.sh @splitserve/${service} ../tree`,
      ]);
    }
    assert.match(treeScript, /^pnpm install --offline --frozen-lockfile --prod --filter-prod "\$package\.\.\."$/m);
    assert.match(treeScript, /^pnpm --filter-prod "\$package\.\.\." list --depth -1 --parseable/m);
  });

  test('runtime images: the tree alone, as the unprivileged node user, started with node src/main.ts', () => {
    for (const service of SERVICES) {
      const chain = stageChain(dockerfile, service);
      assert.deepEqual(
        chain.map((s) => s.name),
        ['runtime', service],
      );
      const copies = chain.flatMap((stage) => valuesOf(stage, 'COPY'));
      assert.deepEqual(copies, [`--from=${service}-tree /build/tree /app`], `${service}: copies only its tree`);
      const runs = chain.flatMap((stage) => valuesOf(stage, 'RUN'));
      assert.ok(
        runs.every((run) => run.startsWith('rm -rf /usr/local/')),
        `${service}: only removes files`,
      );
      const user = chain.flatMap((stage) => valuesOf(stage, 'USER')).at(-1);
      assert.ok(user !== undefined && !['root', '0', '0:0'].includes(user), `${service}: USER ${user}`);
      assert.deepEqual(valuesOf(dockerfile.stage(service), 'CMD'), ['["node", "src/main.ts"]']);
      assert.deepEqual(valuesOf(dockerfile.stage(service), 'WORKDIR'), [`/app/services/${service}`]);
    }
  });

  test('.dockerignore leaves installed trees, tests and git out of the context, and keeps what the build reads', async () => {
    const rules = parseDockerignore(await read('../../.dockerignore'));
    for (const path of ['node_modules', 'libs/contracts/node_modules/zod', '.git', 'services/scorer/test/x.ts']) {
      assert.ok(isIgnored(path, rules), `${path} is left out`);
    }
    assert.ok(isIgnored('services/io-gateway/src/app.test.ts', rules));
    for (const path of [
      'package.json',
      'pnpm-lock.yaml',
      'pnpm-workspace.yaml',
      'deploy/docker/production-tree.sh',
      'libs/test-support/src/index.ts',
      'services/scorer/model-repository/interests/1/model.onnx',
      'services/io-gateway/pipelines/interests.yaml',
    ]) {
      assert.ok(!isIgnored(path, rules), `${path} is kept`);
    }
  });
});

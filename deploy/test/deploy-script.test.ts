import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { DEPLOY_SCRIPT, dryRun } from './dry-run.ts';

const execFileAsync = promisify(execFile);
const TREE_SCRIPT = fileURLToPath(new URL('../docker/production-tree.sh', import.meta.url));

/** The position of the first command starting with `prefix`; fails when there is none. */
function indexOf(commands: string[], prefix: string): number {
  const index = commands.findIndex((command) => command.startsWith(prefix));
  assert.notEqual(index, -1, `no command starts with: ${prefix}\n${commands.join('\n')}`);
  return index;
}

describe('deploy/deploy.sh', () => {
  test('is valid shell (bash -n; sh -n for the image build script)', async () => {
    await execFileAsync('bash', ['-n', DEPLOY_SCRIPT]);
    await execFileAsync('sh', ['-n', TREE_SCRIPT]);
  });

  test('--dry-run calls no gcloud or docker, prints the deployment in order and the gateway URL', async () => {
    const run = await dryRun();
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(run.toolCalls, []);
    const c = run.commands;
    const order = [
      'gcloud services enable run.googleapis.com',
      'gcloud artifacts repositories create splitserve --repository-format docker',
      'gcloud builds submit',
      'gcloud iam service-accounts create splitserve-scorer',
      'gcloud iam service-accounts create splitserve-gateway',
      'gcloud compute networks subnets update default --enable-private-ip-google-access',
      'gcloud compute routers nats create splitserve-nat',
      'gcloud run services replace',
      'gcloud run services set-iam-policy splitserve-scorer',
      'gcloud run services describe splitserve-scorer',
      'gcloud run services add-iam-policy-binding splitserve-gateway --member allUsers --role roles/run.invoker',
      'gcloud run services describe splitserve-gateway',
    ].map((prefix) => indexOf(c, prefix));
    assert.deepEqual(
      order,
      [...order].sort((a, b) => a - b),
      'commands in this order',
    );
    const replaced = c.filter((command) => command.startsWith('gcloud run services replace'));
    assert.equal(replaced.length, 2);
    assert.match(replaced[0]!, /scorer\.yaml --region europe-west1 --project splitserve-test/);
    assert.match(replaced[1]!, /io-gateway\.yaml --region europe-west1 --project splitserve-test/);
    assert.match(run.stdout, /--- # .*scorer\.yaml\napiVersion: serving\.knative\.dev\/v1/, 'prints the manifests');
    assert.match(run.stdout.trimEnd().split('\n').at(-1)!, /^gateway: https:\/\/splitserve-gateway-.*\.run\.app$/);
    assert.ok(!run.stdout.includes('${'), 'no placeholder left unfilled');
  });

  test('--builder docker pushes with docker buildx for linux/amd64; --skip-build builds nothing', async () => {
    const docker = await dryRun(['--builder', 'docker']);
    assert.equal(docker.code, 0, docker.stderr);
    for (const target of ['scorer', 'io-gateway']) {
      indexOf(docker.commands, `docker buildx build --platform linux/amd64 --target ${target} --tag`);
    }
    assert.ok(!docker.commands.some((command) => command.startsWith('gcloud builds submit')));
    const skip = await dryRun(['--skip-build']);
    assert.equal(skip.code, 0, skip.stderr);
    assert.ok(!skip.commands.some((command) => /builds submit|buildx|repositories create/.test(command)));
  });

  test('--private-gateway leaves the gateway closed to unauthenticated clients; --no-nat creates no NAT', async () => {
    const run = await dryRun(['--private-gateway', '--no-nat']);
    assert.equal(run.code, 0, run.stderr);
    assert.ok(!run.commands.some((command) => command.includes('allUsers')));
    assert.ok(!run.commands.some((command) => command.includes('routers')));
  });

  test('refuses bad or missing arguments with status 2, naming the argument', async () => {
    const cases: [string[], RegExp][] = [
      [['--project', 'X'], /--project: not a project id/],
      [['--region', 'europe'], /--region: not a region/],
      [['--profile-url', 'https://profile.example.com/v1'], /--profile-url: not an http\(s\) origin/],
      [['--events-url', "http://x'; rm -rf /"], /--events-url: not an http\(s\) origin/],
      [['--image-tag', 'a b'], /--image-tag: not an image tag/],
      [['--builder', 'kaniko'], /--builder: cloud-build or docker/],
      [['--bogus'], /unknown argument: --bogus/],
    ];
    for (const [args, message] of cases) {
      const run = await dryRun(args);
      assert.equal(run.code, 2, `${args.join(' ')}: status`);
      assert.match(run.stderr, message);
      assert.deepEqual(run.toolCalls, []);
    }
    for (const [args, message] of [
      [['--dry-run'], /--project: not a project id: ''/],
      [['--dry-run', '--project'], /--project needs a value/],
    ] as const) {
      const { code, stderr } = await execFileAsync('bash', [DEPLOY_SCRIPT, ...args]).then(
        () => ({ code: 0, stderr: '' }),
        (error: { code: number; stderr: string }) => error,
      );
      assert.equal(code, 2, args.join(' '));
      assert.match(stderr, message);
    }
  });
});

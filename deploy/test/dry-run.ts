// Runs deploy/deploy.sh --dry-run with a `gcloud` on PATH that records any call, and reads what it rendered.
import { spawn } from 'node:child_process';
import { chmod, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

export const DEPLOY_SCRIPT = fileURLToPath(new URL('../deploy.sh', import.meta.url));

/** The arguments every dry run in these tests passes; tests add their own after them. */
export const REQUIRED_ARGUMENTS = [
  '--project',
  'splitserve-test',
  '--region',
  'europe-west1',
  '--image-tag',
  'v1-test',
  '--profile-url',
  'https://profile.example.com',
  '--events-url',
  'https://events.example.com',
];

export type DryRun = {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Lines of the commands it printed, without the leading `+ `. */
  commands: string[];
  /** Every call that reached a command named gcloud, docker or kubectl; a dry run must make none. */
  toolCalls: string[];
  /** The rendered files by name (scorer.yaml, io-gateway.yaml, scorer-invokers.yaml), parsed. */
  manifests: Record<string, unknown>;
};

export async function dryRun(extraArguments: readonly string[] = []): Promise<DryRun> {
  const scratch = await mkdtemp(join(tmpdir(), 'splitserve-dry-run-'));
  const calls = join(scratch, 'tool-calls.log');
  await writeFile(calls, '');
  for (const tool of ['gcloud', 'docker', 'kubectl']) {
    const fake = join(scratch, tool);
    await writeFile(fake, `#!/bin/sh\necho "${tool} $*" >> '${calls}'\nexit 1\n`);
    await chmod(fake, 0o755);
  }
  const renderDir = join(scratch, 'rendered');
  const args = [DEPLOY_SCRIPT, '--dry-run', ...REQUIRED_ARGUMENTS, ...extraArguments, '--render-dir', renderDir];
  const child = spawn('bash', args, {
    env: { PATH: `${scratch}:${process.env['PATH']}`, HOME: scratch },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  const manifests: Record<string, unknown> = {};
  const rendered = await readdir(renderDir).catch(() => []);
  for (const name of rendered) manifests[name] = parse(await readFile(join(renderDir, name), 'utf8'));
  const toolCalls = (await readFile(calls, 'utf8')).split('\n').filter((line) => line !== '');
  await rm(scratch, { recursive: true, force: true });
  return {
    code,
    stdout,
    stderr,
    commands: stdout
      .split('\n')
      .filter((line) => line.startsWith('+ '))
      .map((line) => line.slice(2)),
    toolCalls,
    manifests,
  };
}

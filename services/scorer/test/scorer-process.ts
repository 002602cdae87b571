import { mkdtemp, mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startService, type RunningService } from '@splitserve/test-support';

const MAIN = fileURLToPath(new URL('../src/main.ts', import.meta.url));
export const DEMO_REPOSITORY = fileURLToPath(new URL('../model-repository', import.meta.url));

export type RunningScorer = RunningService;

/**
 * Starts the scorer (`node src/main.ts`) on an ephemeral port and waits until every model is ready (or, with
 * `waitReady: false`, only until it listens).
 */
export function startScorer(
  options: { env?: Record<string, string>; waitReady?: boolean } = {},
): Promise<RunningScorer> {
  return startService({
    main: MAIN,
    env: options.env ?? {},
    ...(options.waitReady !== false && { readyMessage: 'ready' }),
  });
}

/**
 * A temporary model repository holding demo models (linked, not copied), each with its demo config.json overridden
 * by the given settings.
 */
export async function makeRepository(models: Record<string, object>): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'scorer-repo-'));
  for (const [name, overrides] of Object.entries(models)) {
    await mkdir(join(root, name));
    await symlink(join(DEMO_REPOSITORY, name, '1'), join(root, name, '1'));
    const config = JSON.parse(await readFile(join(DEMO_REPOSITORY, name, 'config.json'), 'utf8')) as object;
    await writeFile(join(root, name, 'config.json'), JSON.stringify({ ...config, ...overrides }));
  }
  return root;
}

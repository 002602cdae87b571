import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startService, type RunningService } from '@splitserve/test-support';

const MAIN = fileURLToPath(new URL('../src/main.ts', import.meta.url));

/** A mock source running as a real child process on 127.0.0.1. */
export type RunningMockSource = RunningService;

/**
 * Starts `node src/main.ts` as `source` on an ephemeral port, with no latency unless `env` says otherwise, and
 * resolves once its `listening` line names the port.
 */
export function startMockSource(
  source: 'profile' | 'events',
  env: Record<string, string> = {},
): Promise<RunningMockSource> {
  return startService({
    main: MAIN,
    env: { MOCK_SOURCE: source, MOCK_LATENCY_MS: '0', MOCK_JITTER_MS: '0', ...env },
    timeoutMs: 10_000,
  });
}

export async function runMockSourceToExit(
  env: Record<string, string>,
): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, [MAIN], { env: { PATH: process.env['PATH'], ...env }, stdio: 'pipe' });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const code = await withTimeout(
    new Promise<number | null>((resolve) => child.once('exit', resolve)),
    10_000,
    'mock source exit',
  );
  return { code, stderr };
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

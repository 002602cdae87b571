import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const MAIN = fileURLToPath(new URL('../src/main.ts', import.meta.url));

/** A mock source running as a real child process on 127.0.0.1. */
export type RunningMockSource = {
  url: string;
  child: ChildProcess;
  /** Sends `signal` (default SIGTERM) and waits for the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
};

/**
 * Starts `node src/main.ts` as `source` on an ephemeral port, with no latency unless `env` says otherwise, and
 * resolves once its `listening` line names the port.
 */
export async function startMockSource(
  source: 'profile' | 'events',
  env: Record<string, string> = {},
): Promise<RunningMockSource> {
  const child = spawn(process.execPath, [MAIN], {
    env: {
      PATH: process.env['PATH'],
      MOCK_SOURCE: source,
      PORT: '0',
      HOST: '127.0.0.1',
      MOCK_LATENCY_MS: '0',
      MOCK_JITTER_MS: '0',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const listening = new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout }).on('line', (line) => {
      let entry: { message?: string; address?: { port: number } };
      try {
        entry = JSON.parse(line) as typeof entry;
      } catch {
        return;
      }
      if (entry.message === 'listening' && entry.address) resolve(`http://127.0.0.1:${entry.address.port}`);
    });
    void exited.then((code) => reject(new Error(`mock source exited with ${code} before listening\n${stderr}`)));
  });
  const url = await withTimeout(listening, 10_000, 'mock source start-up');
  return {
    url,
    child,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

/** Runs `node src/main.ts` with exactly `env` (plus PATH) and waits for it to exit, for start-up failures. */
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

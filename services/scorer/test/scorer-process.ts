import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, mkdir, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const MAIN = fileURLToPath(new URL('../src/main.ts', import.meta.url));
export const DEMO_REPOSITORY = fileURLToPath(new URL('../model-repository', import.meta.url));

/** A scorer running as a real child process on 127.0.0.1. */
export type RunningScorer = {
  url: string;
  child: ChildProcess;
  /** Parsed log lines so far. */
  logs: Record<string, unknown>[];
  /** Resolves with the exit code once the process has exited. */
  exited: Promise<number | null>;
  /** Sends `signal` (default SIGTERM) and waits for the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
};

/**
 * Starts `node src/main.ts` on an ephemeral port and waits until it listens (and, unless `waitReady` is false,
 * until every model is ready).
 */
export async function startScorer(
  options: { env?: Record<string, string>; waitReady?: boolean } = {},
): Promise<RunningScorer> {
  const child = spawn(process.execPath, [MAIN], {
    env: { PATH: process.env['PATH'], PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: Record<string, unknown>[] = [];
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const listening = new Promise<string>((resolve, reject) => {
    const ready = options.waitReady ?? true;
    let url: string | undefined;
    createInterface({ input: child.stdout }).on('line', (line) => {
      let entry: Record<string, unknown>;
      try {
        entry = JSON.parse(line) as Record<string, unknown>;
      } catch {
        return;
      }
      logs.push(entry);
      if (entry['message'] === 'listening') {
        url = `http://127.0.0.1:${(entry['address'] as { port: number }).port}`;
        if (!ready) resolve(url);
      }
      if (entry['message'] === 'ready' && url !== undefined) resolve(url);
    });
    void exited.then((code) => {
      const last = JSON.stringify(logs.at(-1));
      reject(new Error(`scorer exited with ${code} before it was up; last log: ${last}\n${stderr}`));
    });
  });
  const url = await withTimeout(listening, 30_000, 'scorer start-up');
  return {
    url,
    child,
    logs,
    exited,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

/**
 * A temporary model repository holding demo models (linked, not copied) with the given config.json each.
 */
export async function makeRepository(models: Record<string, object>): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'scorer-repo-'));
  for (const [name, config] of Object.entries(models)) {
    await mkdir(join(root, name));
    await symlink(join(DEMO_REPOSITORY, name, '1'), join(root, name, '1'));
    await writeFile(join(root, name, 'config.json'), JSON.stringify(config));
  }
  return root;
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

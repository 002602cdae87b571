import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

/** A service running as a real child process on 127.0.0.1. */
export type RunningService = {
  url: string;
  child: ChildProcess;
  /** Its JSON log lines so far, parsed. */
  logs: Record<string, unknown>[];
  /** Resolves with the exit code once the process has exited. */
  exited: Promise<number | null>;
  /** Sends `signal` (default SIGTERM) and waits for the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
};

/**
 * Starts `node <main>` on an ephemeral port of 127.0.0.1 (`PORT=0`, `HOST=127.0.0.1`, plus `env`) and resolves once
 * its `listening` log line names the port, or, with `readyMessage`, once that line follows. Rejects with the last
 * log line and stderr when the process exits first, and after `timeoutMs`.
 */
export async function startService(options: {
  main: string;
  env?: Record<string, string>;
  readyMessage?: string;
  timeoutMs?: number;
}): Promise<RunningService> {
  const child = spawn(process.execPath, [options.main], {
    env: { PATH: process.env['PATH'], PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: Record<string, unknown>[] = [];
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const up = new Promise<string>((resolve, reject) => {
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
        if (options.readyMessage === undefined) resolve(url);
      }
      if (entry['message'] === options.readyMessage && url !== undefined) resolve(url);
    });
    void exited.then((code) => {
      reject(
        new Error(
          `${options.main} exited with ${code} before it was up; last log: ${JSON.stringify(logs.at(-1))}\n${stderr}`,
        ),
      );
    });
  });
  const timeoutMs = options.timeoutMs ?? 30_000;
  let timer: NodeJS.Timeout | undefined;
  const url = await Promise.race([
    up,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${options.main} was not up after ${timeoutMs} ms`)), timeoutMs);
    }),
  ]).finally(() => clearTimeout(timer));
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

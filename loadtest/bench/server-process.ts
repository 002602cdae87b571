import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { pinnedCommand } from './cpu-layout.ts';

/** A server under test, running as a child process. */
export type ServerProcess = {
  pid: number;
  /** `http://127.0.0.1:<port>` */
  origin: string;
  /** Harness clock from just before `spawn` to the ready log line. */
  spawnToReadyMs: number;
  /** The ready log line, parsed. */
  readyLine: Record<string, unknown>;
  /** SIGTERM, then SIGKILL if the process has not exited within `graceMs`. */
  stop(graceMs?: number): Promise<void>;
};

export type ServerProcessOptions = {
  /** For error messages. */
  name: string;
  /** The node script; run with this Node binary. */
  script: string;
  /** Flags for Node itself, before the script (e.g. `--cpu-prof`). */
  nodeArgs?: readonly string[];
  env: Record<string, string>;
  cpus: string | undefined;
  /** `message` of the one-line JSON log that means "serving"; the port comes from the `listening` line. */
  readyMessage: string;
  timeoutMs: number;
};

const TAIL_LINES = 20;

/**
 * Spawns a server that logs one-line JSON to stdout (`{"message":"listening","address":{"port":…}}` and later
 * `readyMessage`) and resolves once it is ready. Rejects, killing the child, when it exits, logs a fatal line or
 * is not ready within `timeoutMs`; the error carries its last lines of output. A server that dies later, while it
 * should be serving, is reported on the harness's stderr with its last lines.
 */
export async function startServerProcess(options: ServerProcessOptions): Promise<ServerProcess> {
  const [command, ...args] = pinnedCommand(
    [process.execPath, ...(options.nodeArgs ?? []), options.script],
    options.cpus,
  );
  const spawnedAt = performance.now();
  const child = spawn(command!, args, { env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
  const lastLines: string[] = [];
  const remember = (line: string) => {
    lastLines.push(line);
    if (lastLines.length > TAIL_LINES) lastLines.shift();
  };
  createInterface({ input: child.stderr }).on('line', remember);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const ready = new Promise<{ port: number; readyLine: Record<string, unknown> }>((resolve, reject) => {
    let port: number | undefined;
    createInterface({ input: child.stdout }).on('line', (line) => {
      remember(line);
      const entry = parseLogLine(line);
      if (entry === undefined) return;
      if (entry['message'] === 'listening') port = portOf(entry);
      if (entry['severity'] === 'CRITICAL') reject(new Error(`${options.name} failed: ${line}`));
      if (entry['message'] === options.readyMessage) {
        if (port === undefined) reject(new Error(`${options.name} was ready before it logged its port`));
        else resolve({ port, readyLine: entry });
      }
    });
    child.once('exit', (code, signal) =>
      reject(new Error(`${options.name} exited (${signal ?? code}) before it was ready`)),
    );
    child.on('error', reject);
  });
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`${options.name} not ready within ${options.timeoutMs} ms`)),
      options.timeoutMs,
    );
  });

  let serving = false;
  child.once('exit', (code, signal) => {
    // Once serving, clients would only see refused connections: say which server died and why, with its last words.
    if (!serving) return;
    process.stderr.write(
      `${options.name} (pid ${child.pid}) exited unexpectedly (${signal ?? code})\n${lastLines.join('\n')}\n`,
    );
  });
  const stop = async (graceMs = 5_000): Promise<void> => {
    serving = false;
    // No pid: the spawn itself failed, so there is no process to wait for.
    if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const killer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    await exited;
    clearTimeout(killer);
  };

  try {
    const { port, readyLine } = await Promise.race([ready, timeout]);
    serving = true;
    return {
      pid: child.pid!,
      origin: `http://127.0.0.1:${port}`,
      spawnToReadyMs: performance.now() - spawnedAt,
      readyLine,
      stop,
    };
  } catch (error) {
    await stop(1_000);
    const tail = lastLines.length > 0 ? `\n${lastLines.join('\n')}` : '';
    throw new Error(`${(error as Error).message}${tail}`, { cause: error });
  } finally {
    clearTimeout(timer);
  }
}

function parseLogLine(line: string): Record<string, unknown> | undefined {
  if (!line.startsWith('{')) return undefined;
  try {
    return JSON.parse(line) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

function portOf(entry: Record<string, unknown>): number | undefined {
  const address = entry['address'];
  if (typeof address !== 'object' || address === null) return undefined;
  const port = (address as { port?: unknown }).port;
  return typeof port === 'number' ? port : undefined;
}

import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { pinnedCommand } from './cpu-layout.ts';

type JobMessage<Job> = { id: number; job: Job };
type ResultMessage<Result> = { id: number; ok: true; result: Result } | { id: number; ok: false; message: string };

/** A measuring child process (load client, raw onnxruntime runner) that runs one job at a time. */
export type BenchChild<Job, Result> = {
  /** Runs a job in the child. Rejects with the child's error message, or if the child dies. */
  run(job: Job): Promise<Result>;
  close(): Promise<void>;
};

/**
 * Starts `script` (a module that calls {@link serveBenchJobs}) as a child Node process, pinned to `cpus`, talking
 * over the IPC channel. A separate process keeps the measuring side off the harness's event loop and lets it be
 * pinned apart from the server.
 */
export function startBenchChild<Job, Result>(script: URL, cpus: string | undefined): BenchChild<Job, Result> {
  const [command, ...args] = pinnedCommand([process.execPath, fileURLToPath(script)], cpus);
  // taskset execs node in place, so the IPC channel the child inherits is node's own.
  const child: ChildProcess = spawn(command!, args, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let nextId = 0;
  const waiting = new Map<number, { resolve: (result: Result) => void; reject: (error: Error) => void }>();
  const failAll = (error: Error) => {
    for (const waiter of waiting.values()) waiter.reject(error);
    waiting.clear();
  };

  child.on('message', (message: ResultMessage<Result>) => {
    const waiter = waiting.get(message.id);
    waiting.delete(message.id);
    if (message.ok) waiter?.resolve(message.result);
    else waiter?.reject(new Error(`job failed in ${path.basename(script.pathname)}: ${message.message}`));
  });
  child.once('exit', (code, signal) => failAll(new Error(`${script.pathname} exited (${signal ?? code})`)));
  // Spawn failures and sends to a dead child arrive here; unhandled, they would crash the harness.
  child.on('error', failAll);

  return {
    run(job) {
      const id = nextId++;
      return new Promise<Result>((resolve, reject) => {
        waiting.set(id, { resolve, reject });
        child.send({ id, job } satisfies JobMessage<Job>);
      });
    },
    async close() {
      if (child.pid === undefined || !child.connected) return;
      child.disconnect();
      await exited;
    },
  };
}

/**
 * The child's side: answers each job message with `handle`'s result or error. The process exits when the parent
 * disconnects.
 */
export function serveBenchJobs<Job, Result>(handle: (job: Job) => Promise<Result>): void {
  if (process.send === undefined) throw new Error('a bench child must be started with an IPC channel');
  const send = process.send.bind(process);
  process.on('message', (message: JobMessage<Job>) => {
    handle(message.job).then(
      (result) => send({ id: message.id, ok: true, result } satisfies ResultMessage<Result>),
      (error: unknown) =>
        send({
          id: message.id,
          ok: false,
          message: error instanceof Error ? (error.stack ?? error.message) : String(error),
        } satisfies ResultMessage<Result>),
    );
  });
  process.once('disconnect', () => process.exit(0));
}

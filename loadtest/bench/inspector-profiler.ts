import { once } from 'node:events';
import { createServer } from 'node:net';
import type { CpuProfile } from './cpu-profile-summary.ts';

/** V8's sampling profiler in another Node process, driven over its inspector (Chrome DevTools Protocol). */
export type InspectorProfiler = {
  start(): Promise<void>;
  /** Stops sampling and returns what was sampled since `start`. */
  stop(): Promise<CpuProfile>;
  close(): void;
};

/**
 * A free TCP port on 127.0.0.1 for `--inspect=127.0.0.1:<port>` (found by listening on port 0 and closing; another
 * process could take it in between, in which case the server fails to start and says so).
 */
export async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, 'close');
  return port;
}

/**
 * Connects to the inspector of a process started with `--inspect=127.0.0.1:<port>` and readies its profiler with a
 * sampling interval in microseconds. Unlike `--cpu-prof`, which covers the whole process life, this profiles only
 * between `start()` and `stop()`, e.g. a measured window. Rejects when the inspector cannot be reached.
 */
export async function connectProfiler(port: number, samplingIntervalUs: number): Promise<InspectorProfiler> {
  const targets = (await (await fetch(`http://127.0.0.1:${port}/json/list`)).json()) as {
    webSocketDebuggerUrl: string;
  }[];
  const url = targets[0]?.webSocketDebuggerUrl;
  if (url === undefined) throw new Error(`no inspector target on port ${port}`);
  const socket = new WebSocket(url);
  await new Promise<void>((resolve, reject) => {
    socket.addEventListener('open', () => resolve(), { once: true });
    socket.addEventListener('error', () => reject(new Error(`cannot connect to ${url}`)), { once: true });
  });

  let nextId = 1;
  const waiting = new Map<number, { resolve: (result: unknown) => void; reject: (error: Error) => void }>();
  socket.addEventListener('message', (event) => {
    const message = JSON.parse(String(event.data)) as { id?: number; result?: unknown; error?: { message: string } };
    const waiter = message.id === undefined ? undefined : waiting.get(message.id);
    if (waiter === undefined) return;
    waiting.delete(message.id!);
    if (message.error) waiter.reject(new Error(message.error.message));
    else waiter.resolve(message.result);
  });
  socket.addEventListener('close', () => {
    for (const waiter of waiting.values()) waiter.reject(new Error('the inspector connection closed'));
    waiting.clear();
  });
  const send = (method: string, params: Record<string, unknown> = {}) =>
    new Promise<unknown>((resolve, reject) => {
      const id = nextId++;
      waiting.set(id, { resolve, reject });
      socket.send(JSON.stringify({ id, method, params }));
    });

  await send('Profiler.enable');
  await send('Profiler.setSamplingInterval', { interval: samplingIntervalUs });
  return {
    start: async () => {
      await send('Profiler.start');
    },
    stop: async () => ((await send('Profiler.stop')) as { profile: CpuProfile }).profile,
    close: () => socket.close(),
  };
}

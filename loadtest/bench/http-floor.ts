import { fileURLToPath } from 'node:url';
import { startServerProcess, type ServerProcess } from './server-process.ts';

const FLOOR_SERVER = fileURLToPath(new URL('./http-floor-server.ts', import.meta.url));

/**
 * Starts the HTTP floor server (see http-floor-server.ts) as a child process on `cpus`, resolving once it listens.
 * Rejects when it cannot start within 10 s.
 */
export function startHttpFloor(cpus: string | undefined): Promise<ServerProcess> {
  return startServerProcess({
    name: 'http floor',
    script: FLOOR_SERVER,
    env: { PATH: process.env['PATH'] ?? '' },
    cpus,
    readyMessage: 'listening',
    timeoutMs: 10_000,
  });
}

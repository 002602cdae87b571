// Starts the whole local stack: the two mock feature services, the scorer and the gateway, each a child process
// on its usual port, logs prefixed by service. Ctrl-C (or SIGTERM) stops them all.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const ports = { profile: 8091, events: 8092, scorer: 8081, gateway: 8080 };
const services: { name: string; main: string; env: Record<string, string> }[] = [
  {
    name: 'profile',
    main: 'services/mock-sources/src/main.ts',
    env: { MOCK_SOURCE: 'profile', PORT: `${ports.profile}` },
  },
  {
    name: 'events',
    main: 'services/mock-sources/src/main.ts',
    env: { MOCK_SOURCE: 'events', PORT: `${ports.events}` },
  },
  { name: 'scorer', main: 'services/scorer/src/main.ts', env: { PORT: `${ports.scorer}` } },
  {
    name: 'gateway',
    main: 'services/io-gateway/src/main.ts',
    env: {
      PORT: `${ports.gateway}`,
      SCORER_URL: `http://127.0.0.1:${ports.scorer}`,
      PROFILE_SERVICE_URL: `http://127.0.0.1:${ports.profile}`,
      EVENTS_SERVICE_URL: `http://127.0.0.1:${ports.events}`,
    },
  },
];

const children: ChildProcess[] = services.map(({ name, main, env }) => {
  const child = spawn(process.execPath, [main], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream }).on('line', (line) => console.log(`${name.padEnd(8)}| ${line}`));
  }
  child.once('exit', (code, signal) => {
    console.log(`${name.padEnd(8)}| exited (${signal ?? code})`);
    if (!stopping) stop(1);
  });
  return child;
});

console.log(`splitserve: gateway http://127.0.0.1:${ports.gateway}  scorer http://127.0.0.1:${ports.scorer}`);
console.log(
  `try: curl -s localhost:${ports.gateway}/v1/score -H 'content-type: application/json' -d '{"entityId":"u-music-7"}'`,
);

let stopping = false;
function stop(code: number): void {
  if (stopping) return;
  stopping = true;
  for (const child of children) child.kill('SIGTERM');
  Promise.all(children.filter((child) => child.exitCode === null).map((child) => once(child, 'exit')))
    .then(() => process.exit(code))
    .catch(() => process.exit(1));
}
process.once('SIGINT', () => stop(0));
process.once('SIGTERM', () => stop(0));

import { once } from 'node:events';
import type { Server } from 'node:http';
import { serve } from '@hono/node-server';
import { createApp } from './app.ts';
import { createBehaviourControl } from './behaviour/behaviour-control.ts';
import { createStats } from './behaviour/stats.ts';
import { loadConfig } from './config.ts';
import { writeLogLine } from './log-line.ts';

const config = loadConfig(process.env);
const app = createApp({
  source: config.source,
  behaviour: createBehaviourControl(config.defaultBehaviour),
  stats: createStats(),
});

// Node's default keep-alive timeout (5 s) is left as it is: clients' pools must cope with it, as with real services.
const server = serve({ fetch: app.fetch, port: config.port, hostname: config.host }) as Server;
await once(server, 'listening');
writeLogLine(process.stdout, 'INFO', 'listening', { address: server.address(), source: config.source });

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    // A stand-in has nothing to drain: requests in flight (hung ones included) are cut off.
    server.close(() => process.exit(0));
    server.closeAllConnections();
  });
}

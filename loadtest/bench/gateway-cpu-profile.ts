// Profiles the gateway and its floor under the same constant arrival rate and shows where each one's CPU goes, per
// request: pnpm --filter @splitserve/loadtest bench:profile-gateway [-- --server gateway --rate 150 --seconds 10]
// Profiles only the measured window (over the inspector, after a warm-up), and writes each <server>.cpuprofile
// (open it in Chrome DevTools or speedscope) and summary.md to loadtest/.tmp/profile/.
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startLoadClient, type LoadClient } from './bench-processes.ts';
import { cpuLayout } from './cpu-layout.ts';
import { summarizeCpuProfile } from './cpu-profile-summary.ts';
import {
  scoreRequest,
  startGatewayStack,
  startScoreServer,
  type GatewayStack,
  type ScoreServerKind,
} from './gateway-stack.ts';
import { connectProfiler, freePort } from './inspector-profiler.ts';
import { describeMachine } from './machine.ts';
import { provenance } from './markdown.ts';
import { PROFILES_DIR } from './output-paths.ts';
import { renderProfileReport, type ProfiledServer } from './profile-report.ts';
import { UPSTREAM_LATENCY_MS } from './suites/gateway.ts';

const REPOSITORY = fileURLToPath(new URL('../../', import.meta.url)).replace(/\/$/, '');
// Finer than V8's default 1 ms, so that short frames (a policy, a middleware) still collect samples.
const SAMPLING_INTERVAL_US = 200;
const WARMUP_MS = 2_000;

const { values } = parseArgs({
  args: process.argv.slice(2).filter((arg) => arg !== '--'),
  options: {
    server: { type: 'string', default: 'both' },
    rate: { type: 'string', default: '150' },
    seconds: { type: 'string', default: '10' },
  },
});
const kinds: ScoreServerKind[] =
  values.server === 'gateway' || values.server === 'floor' ? [values.server] : ['gateway', 'floor'];
const ratePerSecond = Number(values.rate);
const windowMs = Number(values.seconds) * 1000;
const machine = describeMachine();
const layout = cpuLayout(machine);
const outputDir = path.join(PROFILES_DIR, 'profile');
await rm(outputDir, { recursive: true, force: true });
await mkdir(outputDir, { recursive: true });

const stack = await startGatewayStack({ upstreamLatencyMs: UPSTREAM_LATENCY_MS, cpus: layout.serving });
const client = startLoadClient(layout.client);
const profiled: ProfiledServer[] = [];
try {
  for (const kind of kinds) profiled.push(await profile(kind, stack, client));
} finally {
  await client.close();
  await stack.stop();
}

const command =
  `pnpm --filter @splitserve/loadtest bench:profile-gateway -- --server ${values.server} ` +
  `--rate ${ratePerSecond} --seconds ${windowMs / 1000}`;
const document = [
  `## Where the CPU goes at ${ratePerSecond} req/s`,
  `Each server profiled over a ${windowMs / 1000} s window after a ${WARMUP_MS / 1000} s warm-up, sampled every ` +
    `${SAMPLING_INTERVAL_US} µs; times are per request completed in the window. Self time by package counts the ` +
    'frame that was running: a syscall made by Node (socket writes, `writev`, `close`) is its own frame.',
  renderProfileReport(profiled),
  provenance(command, machine),
].join('\n\n');
await writeFile(path.join(outputDir, 'summary.md'), `${document}\n`);
console.log(document);

/** Starts `kind` with its inspector open, profiles it over the window of an open-loop job, and stops it. */
async function profile(kind: ScoreServerKind, stack: GatewayStack, client: LoadClient): Promise<ProfiledServer> {
  const port = await freePort();
  const server = await startScoreServer(kind, stack, {
    cpus: layout.serving,
    nodeArgs: [`--inspect=127.0.0.1:${port}`],
  });
  try {
    const profiler = await connectProfiler(port, SAMPLING_INTERVAL_US);
    try {
      const job = client.open({
        origin: server.origin,
        request: scoreRequest(),
        ratePerSecond,
        warmupMs: WARMUP_MS,
        windowMs,
        maxInFlight: 512,
        cpuPid: server.pid,
      });
      await sleep(WARMUP_MS);
      await profiler.start();
      await sleep(windowMs);
      const cpuProfile = await profiler.stop();
      const result = await job;
      await writeFile(path.join(outputDir, `${kind}.cpuprofile`), JSON.stringify(cpuProfile));
      return {
        name: kind,
        summary: summarizeCpuProfile(cpuProfile, REPOSITORY),
        requests: result.completedInWindow,
        failures: result.failures,
        cpuPerRequestUs: result.serverCpu.totalNs / result.completedInWindow / 1000,
      };
    } finally {
      profiler.close();
    }
  } finally {
    await server.stop();
  }
}

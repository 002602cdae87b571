import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RequestSpec } from './inference-request.ts';
import { DEMO_REPOSITORY } from './model-fixtures.ts';
import { startScorer } from './scorer-process.ts';
import { startServerProcess, type ServerProcess } from './server-process.ts';

const MOCK_MAIN = fileURLToPath(new URL('../../services/mock-sources/src/main.ts', import.meta.url));
const GATEWAY_PATH = 'services/io-gateway/src/main.ts';
const GATEWAY_MAIN = fileURLToPath(new URL(`../../${GATEWAY_PATH}`, import.meta.url));
const SERVERS = {
  floor: fileURLToPath(new URL('./gateway-floor-server.ts', import.meta.url)),
  unframed: fileURLToPath(new URL('./gateway-unframed-server.ts', import.meta.url)),
};
const MODEL = 'interests';
const SEQUENCE_MARKER = '{sequence}';

/** What the gateway and its floor call: both mock feature sources and a scorer serving `interests` alone. */
export type GatewayStack = {
  /** The three processes, for CPU accounting. */
  pids: number[];
  /** The gateway's variables that point at the stack; the floor reads the same ones. */
  env: Record<string, string>;
  /** Data requests both mocks have received so far. */
  upstreamCalls(): Promise<number>;
  stop(): Promise<void>;
};

export type GatewayStackOptions = {
  /** `MOCK_LATENCY_MS` of both mocks; their jitter is 0. */
  upstreamLatencyMs: number;
  cpus: string | undefined;
};

/**
 * Starts both mock sources and a scorer (`SCORER_INSTANCES=1`, a temporary repository holding only `interests`),
 * started once per run and shared by the gateway and its floor. Rejects, stopping whatever started, when one fails.
 */
export async function startGatewayStack(options: GatewayStackOptions): Promise<GatewayStack> {
  const repository = await mkdtemp(path.join(tmpdir(), 'splitserve-gateway-bench-'));
  const started: ServerProcess[] = [];
  const stop = async () => {
    await Promise.allSettled(started.map((server) => server.stop()));
    await rm(repository, { recursive: true, force: true });
  };
  try {
    await cp(path.join(DEMO_REPOSITORY, MODEL), path.join(repository, MODEL), { recursive: true });
    const profile = await startMock('profile', { latencyMs: options.upstreamLatencyMs, jitterMs: 0 }, options.cpus);
    started.push(profile);
    const events = await startMock('events', { latencyMs: options.upstreamLatencyMs, jitterMs: 0 }, options.cpus);
    started.push(events);
    const scorer = await startScorer({ modelRepository: repository, settings: { instances: 1 }, cpus: options.cpus });
    started.push(scorer);
    const mocks = [profile, events];
    return {
      pids: started.map((server) => server.pid),
      env: { SCORER_URL: scorer.origin, PROFILE_SERVICE_URL: profile.origin, EVENTS_SERVICE_URL: events.origin },
      upstreamCalls: async () => {
        const counts = await Promise.all(mocks.map((mock) => mockRequests(mock.origin)));
        return counts.reduce((sum, count) => sum + count, 0);
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** One mock feature service answering after `latencyMs` ± `jitterMs` (uniform), pinned to `cpus`. */
export function startMock(
  source: 'profile' | 'events',
  latency: { latencyMs: number; jitterMs: number },
  cpus: string | undefined,
): Promise<ServerProcess> {
  return startServerProcess({
    name: `${source} mock`,
    script: MOCK_MAIN,
    env: {
      PATH: process.env['PATH'] ?? '',
      MOCK_SOURCE: source,
      PORT: '0',
      HOST: '127.0.0.1',
      MOCK_LATENCY_MS: String(latency.latencyMs),
      MOCK_JITTER_MS: String(latency.jitterMs),
    },
    cpus,
    readyMessage: 'listening',
    timeoutMs: 10_000,
  });
}

async function mockRequests(origin: string): Promise<number> {
  const response = await fetch(`${origin}/_admin/stats`);
  if (!response.ok) throw new Error(`${origin}/_admin/stats answered ${response.status}`);
  return ((await response.json()) as { requests: number }).requests;
}

/**
 * Which server answers `POST /v1/score`: the gateway itself, the bare floor server, or the gateway's scoring behind
 * bare node:http (gateway-unframed-server.ts, for gateway-compare.ts).
 */
export type ScoreServerKind = 'gateway' | 'floor' | 'unframed';

/**
 * Starts the gateway (`services/io-gateway/src/main.ts`, of `options.root` when given: another revision's tree),
 * the floor (gateway-floor-server.ts) or the unframed gateway against `stack`, with only PATH and the gateway's own variables (plus
 * `options.env`), so settings in the caller's shell cannot leak in. `nodeArgs` go to Node (e.g. `--cpu-prof`).
 */
export function startScoreServer(
  kind: ScoreServerKind,
  stack: GatewayStack,
  options: {
    cpus: string | undefined;
    nodeArgs?: readonly string[];
    root?: string;
    env?: Record<string, string>;
    name?: string;
  },
): Promise<ServerProcess> {
  const gatewayMain = options.root === undefined ? GATEWAY_MAIN : path.join(options.root, GATEWAY_PATH);
  return startServerProcess({
    name: options.name ?? kind,
    script: kind === 'gateway' ? gatewayMain : SERVERS[kind],
    ...(options.nodeArgs && { nodeArgs: options.nodeArgs }),
    env: {
      PATH: process.env['PATH'] ?? '',
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      REQUEST_TIMEOUT_MS: '1000',
      ...stack.env,
      ...options.env,
    },
    cpus: options.cpus,
    readyMessage: 'listening',
    timeoutMs: 20_000,
  });
}

/** `POST /v1/score` for `u-0`, `u-1`, … (a fresh entity per request, so coalescing cannot skip a call). */
export function scoreRequest(): RequestSpec {
  return {
    method: 'POST',
    path: '/v1/score',
    headers: { 'content-type': 'application/json' },
    bodyBase64: Buffer.from(JSON.stringify({ entityId: `u-${SEQUENCE_MARKER}` })).toString('base64'),
    sequenceMarker: SEQUENCE_MARKER,
  };
}

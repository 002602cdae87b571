import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { startService, type RunningService } from '@splitserve/test-support';
import { makeRepository, startScorer } from '../../scorer/test/scorer-process.ts';
import { startMockSource } from '../../mock-sources/test/mock-source-process.ts';

const MAIN = fileURLToPath(new URL('../src/main.ts', import.meta.url));
const DEMO_PIPELINE = fileURLToPath(new URL('../pipelines/interests.yaml', import.meta.url));

type SourcePatch = Record<string, unknown>;

/** The whole stack, each part a real process on 127.0.0.1: two mock sources, the scorer and the gateway. */
export type Stack = {
  gateway: RunningService;
  scorer: RunningService;
  profile: RunningService;
  events: RunningService;
  /** Starts another gateway against the same scorer and sources (e.g. with other settings). */
  startGateway(env?: Record<string, string>, sources?: Record<string, SourcePatch>): Promise<RunningService>;
  stop(): Promise<void>;
};

/**
 * Generous time limits by default (this machine is shared, and a cold first call must not fail a test), and
 * breakers that stay closed unless a test sets its own, so that one test's failures cannot open another's circuit.
 */
const RELAXED = { timeoutMs: 2_000, breaker: { minimumRequests: 100_000 } };

/**
 * Starts the stack with the demo pipeline, its sources' settings patched by `sources` (e.g. shorter timeouts or a
 * breaker that opens sooner) and the mocks answering after `mockLatencyMs` (default 5).
 */
export async function startStack(
  options: { sources?: Record<string, SourcePatch>; gatewayEnv?: Record<string, string>; mockLatencyMs?: number } = {},
): Promise<Stack> {
  const mockEnv = { MOCK_LATENCY_MS: String(options.mockLatencyMs ?? 5), MOCK_JITTER_MS: '0' };
  const [profile, events, scorer] = await Promise.all([
    startMockSource('profile', mockEnv),
    startMockSource('events', mockEnv),
    makeRepository({ interests: { instances: 1, maxBatchSize: 64 } }).then((repository) =>
      startScorer({ env: { MODEL_REPOSITORY: repository } }),
    ),
  ]);
  const gateways: RunningService[] = [];
  const startGateway = async (env: Record<string, string> = {}, sources = options.sources ?? {}) => {
    const patched = { profile: { ...RELAXED, ...sources['profile'] }, events: { ...RELAXED, ...sources['events'] } };
    const gateway = await startService({
      main: MAIN,
      env: {
        SCORER_URL: scorer.url,
        PROFILE_SERVICE_URL: profile.url,
        EVENTS_SERVICE_URL: events.url,
        PIPELINES: await writePipeline(patched),
        REQUEST_TIMEOUT_MS: '5000',
        ...env,
      },
    });
    gateways.push(gateway);
    return gateway;
  };
  const gateway = await startGateway(options.gatewayEnv);
  return {
    gateway,
    scorer,
    profile,
    events,
    startGateway,
    async stop() {
      await Promise.all([...gateways, scorer, profile, events].map((service) => service.stop()));
    },
  };
}

/** The demo pipeline with each named source's settings shallow-merged with a patch, as a temporary JSON file. */
async function writePipeline(sources: Record<string, SourcePatch>): Promise<string> {
  const pipeline = parse(await readFile(DEMO_PIPELINE, 'utf8')) as { sources: Record<string, SourcePatch> };
  for (const [name, patch] of Object.entries(sources)) pipeline.sources[name] = { ...pipeline.sources[name], ...patch };
  const path = join(await mkdtemp(join(tmpdir(), 'gateway-pipeline-')), 'pipeline.json');
  await writeFile(path, JSON.stringify(pipeline));
  return path;
}

/** POSTs JSON to the gateway; returns status, headers, parsed body and how long the answer took. */
export async function post(
  url: string,
  path: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Headers; body: Record<string, unknown>; ms: number }> {
  const started = performance.now();
  const response = await fetch(`${url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const parsed = (await response.json()) as Record<string, unknown>;
  return { status: response.status, headers: response.headers, body: parsed, ms: performance.now() - started };
}

import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  HEAVY_PROFILES,
  heavyModelArtifact,
} from '@splitserve/scorer/scripts/build-demo-models/interests-heavy-model.ts';
import { writeModelArtifact } from '@splitserve/scorer/scripts/build-demo-models/model-repository.ts';
import { startMock } from './gateway-stack.ts';
import { startScorer } from './scorer-process.ts';
import { startServerProcess, type ServerProcess } from './server-process.ts';

const GATEWAY_MAIN = fileURLToPath(new URL('../../services/io-gateway/src/main.ts', import.meta.url));
const MONOLITH_MAIN = fileURLToPath(new URL('./monolith-server.ts', import.meta.url));
const DEMO_PIPELINE = fileURLToPath(new URL('../../services/io-gateway/pipelines/interests.yaml', import.meta.url));

/** The ≈3 ms model both architectures serve (the scorer bench's `interests-3ms`, with the demo's labels). */
export const COMPARISON_MODEL = 'interests-3ms';
const MAX_BATCH_SIZE = 32;

/** The two ways of serving `POST /v1/score` the seed compares. */
export const ARCHITECTURES = ['monolith', 'split'] as const;
export type Architecture = (typeof ARCHITECTURES)[number];

/** A model repository holding the ≈3 ms model and the demo pipeline pointed at it, in a temporary directory. */
export type ComparisonFixture = { repository: string; pipelineFile: string; remove(): Promise<void> };

/** Builds the ≈3 ms model (`HEAVY_PROFILES.light3Ms`) and a copy of the demo pipeline whose scorer model is it. */
export async function createComparisonFixture(): Promise<ComparisonFixture> {
  const root = await mkdtemp(path.join(tmpdir(), 'splitserve-comparison-'));
  try {
    const repository = path.join(root, 'models');
    const artifact = heavyModelArtifact(HEAVY_PROFILES.light3Ms, COMPARISON_MODEL);
    await writeModelArtifact(repository, { ...artifact, config: { ...artifact.config, maxBatchSize: MAX_BATCH_SIZE } });
    const pipelineFile = path.join(root, 'pipeline.yaml');
    await writeFile(pipelineFile, pipelineForModel(await readFile(DEMO_PIPELINE, 'utf8'), COMPARISON_MODEL));
    return { repository, pipelineFile, remove: () => rm(root, { recursive: true, force: true }) };
  } catch (error) {
    await rm(root, { recursive: true, force: true });
    throw error;
  }
}

/** The demo pipeline's text with `scorer.model` replaced. Throws unless exactly one `model:` line is found. */
export function pipelineForModel(pipelineYaml: string, model: string): string {
  const line = /^(\s+model:\s*)\S+\s*$/gm;
  const matches = pipelineYaml.match(line) ?? [];
  if (matches.length !== 1) throw new Error(`expected one 'model:' line in the demo pipeline, found ${matches.length}`);
  return pipelineYaml.replace(line, `$1${model}`);
}

/** Both mock feature sources, shared by every system of one upstream latency. */
export type Mocks = { env: Record<string, string>; pids: number[]; stop(): Promise<void> };

/** Starts both mocks at `latencyMs` ± `jitterMs` (uniform), pinned to `cpus`. */
export async function startMocks(latencyMs: number, jitterMs: number, cpus: string | undefined): Promise<Mocks> {
  const started: ServerProcess[] = [];
  const stop = async () => {
    await Promise.allSettled(started.map((server) => server.stop()));
  };
  try {
    for (const source of ['profile', 'events'] as const) {
      started.push(await startMock(source, { latencyMs, jitterMs }, cpus));
    }
    const [profile, events] = started;
    return {
      env: { PROFILE_SERVICE_URL: profile!.origin, EVENTS_SERVICE_URL: events!.origin },
      pids: started.map((server) => server.pid),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** One architecture, ready: `entry` answers `POST /v1/score`; `pids` are every process of it, entry first. */
export type System = { architecture: Architecture; entry: ServerProcess; pids: number[]; stop(): Promise<void> };

/**
 * Starts the monolith (monolith-server.ts: the gateway app with the model on its event loop) or the split stack
 * (the scorer with one worker thread, then the gateway calling it), every process pinned to `cpus`, both with the
 * gateway's defaults (`REQUEST_TIMEOUT_MS` 1000) and the fixture's pipeline. Rejects, stopping what started, on
 * a failed start.
 */
export async function startSystem(
  architecture: Architecture,
  fixture: ComparisonFixture,
  mocks: Mocks,
  cpus: string | undefined,
): Promise<System> {
  const env = {
    PATH: process.env['PATH'] ?? '',
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'info',
    PIPELINES: fixture.pipelineFile,
    ...mocks.env,
  };
  const started: ServerProcess[] = [];
  const stop = async () => {
    await Promise.allSettled(started.map((server) => server.stop()));
  };
  const start = async (script: string, extra: Record<string, string>) => {
    const server = await startServerProcess({
      name: architecture === 'monolith' ? 'monolith' : 'gateway',
      script,
      env: { ...env, ...extra },
      cpus,
      readyMessage: 'listening',
      timeoutMs: 30_000,
    });
    started.unshift(server);
    return server;
  };
  try {
    if (architecture === 'monolith') {
      await start(MONOLITH_MAIN, { MONOLITH_MODEL_REPOSITORY: fixture.repository });
    } else {
      const scorer = await startScorer({ modelRepository: fixture.repository, settings: { instances: 1 }, cpus });
      started.push(scorer);
      await start(GATEWAY_MAIN, { SCORER_URL: scorer.origin });
    }
    return { architecture, entry: started[0]!, pids: started.map((server) => server.pid), stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

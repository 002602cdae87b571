import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { startService, type RunningService } from '@splitserve/test-support';
import { makeRepository, startScorer } from '../../services/scorer/test/scorer-process.ts';
import { startMockSource } from '../../services/mock-sources/test/mock-source-process.ts';
import { startFaultProxy, type FaultProxy } from './fault-proxy.ts';

const GATEWAY_MAIN = fileURLToPath(new URL('../../services/io-gateway/src/main.ts', import.meta.url));
const DEMO_PIPELINE = fileURLToPath(new URL('../../services/io-gateway/pipelines/interests.yaml', import.meta.url));

export const DEPENDENCIES = ['scorer', 'profile', 'events'] as const;
export type DependencyName = (typeof DEPENDENCIES)[number];

/** Changes to the demo pipeline: each source's settings shallow-merged, and the scorer model to call. */
export type PipelinePatch = {
  sources?: Partial<Record<'profile' | 'events', Record<string, unknown>>>;
  model?: string;
};

export type ChaosStackOptions = {
  /** Model repository overrides (demo config.json merged); default the `interests` model on one worker. */
  models?: Record<string, object>;
  scorerEnv?: Record<string, string>;
  mockEnv?: Record<string, string>;
  gatewayEnv?: Record<string, string>;
  pipeline?: PipelinePatch;
};

/**
 * The whole stack as real processes on 127.0.0.1, with a fault proxy (in this process) in front of each
 * dependency: gateway → proxy → scorer, gateway → proxy → profile / events. A dependency can be killed and started
 * again on the same port, behind its proxy or (for a gateway started `direct`) in front of the gateway's own pools.
 */
export type ChaosStack = {
  gateway: RunningService;
  services: Record<DependencyName, RunningService>;
  proxies: Record<DependencyName, FaultProxy>;
  /** Another gateway; `direct` connects it to the services themselves, bypassing the proxies. */
  startGateway(options?: {
    env?: Record<string, string>;
    pipeline?: PipelinePatch;
    direct?: boolean;
  }): Promise<RunningService>;
  /** SIGKILLs a dependency and waits until it has exited. */
  kill(name: DependencyName): Promise<void>;
  /** Starts a killed dependency again on the port it had. */
  revive(name: DependencyName): Promise<RunningService>;
  stop(): Promise<void>;
};

export async function startChaosStack(options: ChaosStackOptions = {}): Promise<ChaosStack> {
  const repository = await makeRepository(options.models ?? { interests: { instances: 1, maxBatchSize: 64 } });
  const mockEnv = { MOCK_LATENCY_MS: '20', MOCK_JITTER_MS: '5', ...options.mockEnv };
  const starters: Record<DependencyName, (port: number) => Promise<RunningService>> = {
    scorer: (port) => startScorer({ env: { MODEL_REPOSITORY: repository, PORT: String(port), ...options.scorerEnv } }),
    profile: (port) => startMockSource('profile', { ...mockEnv, PORT: String(port) }),
    events: (port) => startMockSource('events', { ...mockEnv, PORT: String(port) }),
  };
  const [scorer, profile, events] = await Promise.all(DEPENDENCIES.map((name) => starters[name](0)));
  const services: Record<DependencyName, RunningService> = { scorer: scorer!, profile: profile!, events: events! };
  const proxyList = await Promise.all(
    DEPENDENCIES.map((name, i) => startFaultProxy({ target: services[name].url, seed: i + 1 })),
  );
  const proxies = { scorer: proxyList[0]!, profile: proxyList[1]!, events: proxyList[2]! };

  const gateways: RunningService[] = [];
  const startGateway: ChaosStack['startGateway'] = async (gatewayOptions = {}) => {
    const via = gatewayOptions.direct ? services : proxies;
    const gateway = await startService({
      main: GATEWAY_MAIN,
      env: {
        SCORER_URL: via.scorer.url,
        PROFILE_SERVICE_URL: via.profile.url,
        EVENTS_SERVICE_URL: via.events.url,
        PIPELINES: await writePipeline({ ...options.pipeline, ...gatewayOptions.pipeline }),
        ...options.gatewayEnv,
        ...gatewayOptions.env,
      },
    });
    gateways.push(gateway);
    return gateway;
  };
  const gateway = await startGateway();

  const portOf = (service: RunningService) => Number(new URL(service.url).port);
  return {
    gateway,
    services,
    proxies,
    startGateway,
    async kill(name) {
      await services[name].stop('SIGKILL');
    },
    async revive(name) {
      services[name] = await starters[name](portOf(services[name]));
      return services[name];
    },
    async stop() {
      await Promise.all(Object.values(proxies).map((proxy) => proxy.close()));
      await Promise.all([...gateways, ...Object.values(services)].map((service) => service.stop()));
    },
  };
}

/** The demo pipeline with a patch applied, as a temporary JSON file. */
async function writePipeline(patch: PipelinePatch): Promise<string> {
  const pipeline = parse(await readFile(DEMO_PIPELINE, 'utf8')) as {
    scorer: Record<string, unknown>;
    sources: Record<string, Record<string, unknown>>;
  };
  for (const [name, settings] of Object.entries(patch.sources ?? {})) {
    pipeline.sources[name] = { ...pipeline.sources[name], ...settings };
  }
  if (patch.model !== undefined) pipeline.scorer = { ...pipeline.scorer, model: patch.model };
  const path = join(await mkdtemp(join(tmpdir(), 'chaos-pipeline-')), 'pipeline.json');
  await writeFile(path, JSON.stringify(pipeline));
  return path;
}

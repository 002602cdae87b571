// The three services' own configuration code, as the deploy files meet it: which variables each reads, which it
// requires, and what it makes of an environment.
import { fileURLToPath } from 'node:url';
import {
  GATEWAY_ENVIRONMENT,
  loadConfig as loadGatewayConfig,
  type GatewayConfig,
} from '../../services/io-gateway/src/config.ts';
import { loadPipeline } from '../../services/io-gateway/src/features/load-pipeline.ts';
import type { Pipeline } from '../../services/io-gateway/src/features/pipeline-schema.ts';
import {
  MOCK_SOURCE_ENVIRONMENT,
  loadConfig as loadMockSourceConfig,
  type MockSourceConfig,
} from '../../services/mock-sources/src/config.ts';
import {
  SCORER_ENVIRONMENT,
  loadConfig as loadScorerConfig,
  type ScorerConfig,
} from '../../services/scorer/src/config.ts';

/** The services, named as their Dockerfile targets and image names. */
export const SERVICES = ['scorer', 'io-gateway', 'mock-sources'] as const;
export type ServiceName = (typeof SERVICES)[number];
export type Environment = Record<string, string>;

export type LoadedConfig =
  | { service: 'scorer'; config: ScorerConfig }
  | { service: 'io-gateway'; config: GatewayConfig; pipelines: Pipeline[] }
  | { service: 'mock-sources'; config: MockSourceConfig };

/** The gateway's default PIPELINES: the demo pipeline (the images carry the same file at the same place). */
export const DEMO_PIPELINE = fileURLToPath(
  new URL('../../services/io-gateway/pipelines/interests.yaml', import.meta.url),
);

export function isServiceName(name: unknown): name is ServiceName {
  return SERVICES.includes(name as ServiceName);
}

async function pipelinesOf(env: Environment): Promise<Pipeline[]> {
  const paths = (env['PIPELINES'] ?? DEMO_PIPELINE).split(',').map((path) => path.trim());
  return Promise.all(paths.filter((path) => path !== '').map((path) => loadPipeline(path, env)));
}

/** Every variable `service` reads with `env` set: its config's list, and for the gateway its pipelines' `baseUrlEnv`. */
export async function variablesRead(service: ServiceName, env: Environment): Promise<string[]> {
  switch (service) {
    case 'scorer':
      return [...SCORER_ENVIRONMENT];
    case 'mock-sources':
      return [...MOCK_SOURCE_ENVIRONMENT];
    case 'io-gateway': {
      const sources = (await pipelinesOf(env)).flatMap((pipeline) => Object.values(pipeline.sources));
      return [...GATEWAY_ENVIRONMENT, ...sources.flatMap((source) => source.baseUrlEnv ?? [])];
    }
  }
}

/** Parses `env` as the service does at start-up; throws the service's own error naming each bad variable. */
export async function loadServiceConfig(service: ServiceName, env: Environment): Promise<LoadedConfig> {
  switch (service) {
    case 'scorer':
      return { service, config: loadScorerConfig(env) };
    case 'mock-sources':
      return { service, config: loadMockSourceConfig(env) };
    case 'io-gateway':
      return { service, config: await loadGatewayConfig(env), pipelines: await pipelinesOf(env) };
  }
}

/**
 * The variables `service` cannot start without: those its config names when loaded from an empty environment
 * (its error message names each bad variable first: `NAME: problem`).
 */
export async function requiredVariables(service: ServiceName): Promise<string[]> {
  const known = await variablesRead(service, {});
  try {
    await loadServiceConfig(service, {});
    return [];
  } catch (error) {
    const message = (error as Error).message;
    return known.filter((name) => new RegExp(`(^|[\\s:;])${name}:`).test(message));
  }
}

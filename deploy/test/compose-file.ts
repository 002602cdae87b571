// docker-compose.yml as these tests read it: YAML with merge keys (`<<: *anchor`) resolved, as Compose does.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { isServiceName, type Environment, type ServiceName } from './service-configs.ts';

export const COMPOSE_FILE = fileURLToPath(new URL('../../docker-compose.yml', import.meta.url));

export type ComposeService = {
  build?: { context: string; target?: string };
  image?: string;
  environment?: Record<string, string | number | boolean | null> | string[];
  ports?: string[];
  healthcheck?: { test: string[] | string; interval?: string; timeout?: string; retries?: number };
  depends_on?: Record<string, { condition: string }> | string[];
};

export type ComposeFile = { document: unknown; services: Record<string, ComposeService> };

export async function readCompose(): Promise<ComposeFile> {
  const document = parse(await readFile(COMPOSE_FILE, 'utf8'), { merge: true }) as unknown;
  const services = (document as { services?: Record<string, ComposeService> }).services;
  assert.ok(services !== undefined, 'docker-compose.yml has services');
  return { document, services };
}

/** A service's environment, from the map form or the `NAME=value` list form. */
export function composeEnvironment(service: ComposeService): Environment {
  const environment = service.environment ?? {};
  if (Array.isArray(environment)) {
    return Object.fromEntries(
      environment.map((entry) => [entry.split('=')[0]!, entry.slice(entry.indexOf('=') + 1)] as const),
    );
  }
  return Object.fromEntries(Object.entries(environment).map(([name, value]) => [name, String(value ?? '')]));
}

/** Which of the workspace's services a Compose service runs: the Dockerfile target it builds. */
export function composeServiceKind(name: string, service: ComposeService): ServiceName {
  const target = service.build?.target;
  assert.ok(isServiceName(target), `compose service ${name} builds a Dockerfile target named after a service`);
  return target;
}

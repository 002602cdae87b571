// The parts of a Cloud Run (Knative serving.knative.dev/v1) Service manifest these tests read.
import assert from 'node:assert/strict';
import { isServiceName, type Environment, type ServiceName } from './service-configs.ts';

export type HttpProbe = {
  httpGet: { path: string; port?: number };
  periodSeconds: number;
  timeoutSeconds: number;
  failureThreshold: number;
  initialDelaySeconds?: number;
};

export type Container = {
  name: string;
  image: string;
  ports: { name: string; containerPort: number }[];
  env?: { name: string; value?: string }[];
  resources: { limits: { cpu: string; memory: string } };
  startupProbe: HttpProbe;
  livenessProbe: HttpProbe;
  volumeMounts?: { name: string; mountPath: string; readOnly?: boolean }[];
};

export type CloudRunService = {
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  spec: {
    template: {
      metadata: { annotations: Record<string, string> };
      spec: {
        serviceAccountName: string;
        containerConcurrency: number;
        timeoutSeconds: number;
        containers: Container[];
        volumes?: {
          name: string;
          csi?: { driver: string; readOnly?: boolean; volumeAttributes: Record<string, string> };
        }[];
      };
    };
    traffic: { percent: number; latestRevision?: boolean }[];
  };
};

export function asCloudRunService(document: unknown, file: string): CloudRunService {
  const service = document as CloudRunService;
  assert.equal(service?.apiVersion, 'serving.knative.dev/v1', `${file}: apiVersion`);
  assert.equal(service.kind, 'Service', `${file}: kind`);
  assert.equal(service.spec.template.spec.containers.length, 1, `${file}: one container`);
  return service;
}

export function containerOf(service: CloudRunService): Container {
  return service.spec.template.spec.containers[0]!;
}

/** The container's environment; every entry must be a plain value (a secret reference would need its own check). */
export function environmentOf(service: CloudRunService): Environment {
  const env: Environment = {};
  for (const entry of containerOf(service).env ?? []) {
    assert.equal(typeof entry.value, 'string', `${service.metadata.name}: ${entry.name} has a plain value`);
    env[entry.name] = entry.value!;
  }
  return env;
}

/** Which service the manifest runs, from its image's name (`.../<service>:<tag>`, named as the Dockerfile target). */
export function serviceOf(service: CloudRunService): ServiceName {
  const name = /\/([^/:]+):[^/]+$/.exec(containerOf(service).image)?.[1];
  assert.ok(isServiceName(name), `${service.metadata.name}: image ${containerOf(service).image} names no service`);
  return name;
}

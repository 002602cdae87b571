import { fileURLToPath } from 'node:url';
import { startServerProcess, type ServerProcess } from './server-process.ts';

const SCORER_MAIN = fileURLToPath(import.meta.resolve('@splitserve/scorer/src/main.ts'));

/** Scorer settings a benchmark varies; unset ones keep the scorer's defaults. */
export type ScorerSettings = {
  instances?: number;
  intraOpThreads?: number;
  workerNice?: number;
  maxBatchSize?: number;
  maxQueueDelayMs?: number;
};

const VARIABLES = {
  instances: 'SCORER_INSTANCES',
  intraOpThreads: 'SCORER_INTRA_OP_THREADS',
  workerNice: 'SCORER_WORKER_NICE',
  maxBatchSize: 'SCORER_MAX_BATCH_SIZE',
  maxQueueDelayMs: 'SCORER_MAX_QUEUE_DELAY_MS',
} as const satisfies Record<keyof ScorerSettings, string>;

export type StartScorerOptions = {
  modelRepository: string;
  settings?: ScorerSettings;
  cpus: string | undefined;
  /** Loading the 30 ms model and warming it at its largest batch takes a few seconds on a slow machine. */
  timeoutMs?: number;
};

/**
 * Starts `node services/scorer/src/main.ts` on an ephemeral port of 127.0.0.1 and resolves once every model is
 * loaded (`ready`). The child gets only PATH and the scorer's own variables, so settings in the caller's shell
 * cannot leak into a measurement. Rejects when the scorer fails to start (see {@link startServerProcess}).
 */
export function startScorer(options: StartScorerOptions): Promise<ServerProcess> {
  return startServerProcess({
    name: 'scorer',
    script: SCORER_MAIN,
    env: {
      PATH: process.env['PATH'] ?? '',
      PORT: '0',
      HOST: '127.0.0.1',
      MODEL_REPOSITORY: options.modelRepository,
      LOG_LEVEL: 'info',
      ...settingsEnvironment(options.settings ?? {}),
    },
    cpus: options.cpus,
    readyMessage: 'ready',
    timeoutMs: options.timeoutMs ?? 60_000,
  });
}

/** The environment variables that apply `settings`. */
export function settingsEnvironment(settings: ScorerSettings): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, name] of Object.entries(VARIABLES) as [keyof ScorerSettings, string][]) {
    const value = settings[key];
    if (value !== undefined) env[name] = String(value);
  }
  return env;
}

/** `SCORER_X=1 SCORER_Y=2`, or `defaults`, for labels in the report. */
export function describeSettings(settings: ScorerSettings): string {
  const pairs = Object.entries(settingsEnvironment(settings)).map(([name, value]) => `${name}=${value}`);
  return pairs.length > 0 ? pairs.join(' ') : 'defaults';
}

import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { ServedModelOptions } from '../models/served-model.ts';

const LATENCY_BUCKETS_S = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const BATCH_BUCKETS = [1, 2, 4, 8, 16, 32, 64, 128, 256];

/** Outcome label of a finished inference request. */
export type Outcome = 'ok' | 'bad_request' | 'overloaded' | 'not_ready' | 'expired' | 'failed' | 'shutting_down';

/**
 * The scorer's Prometheus metrics on their own registry (no global state), with per-model observers for the pool
 * and the scheduler.
 */
export function createScorerMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const labelNames = ['model', 'version'] as const;
  const requests = new Counter({
    name: 'scorer_requests_total',
    help: 'Inference requests by model, version and outcome.',
    labelNames: [...labelNames, 'outcome'],
    registers: [registry],
  });
  const requestDuration = new Histogram({
    name: 'scorer_request_duration_seconds',
    help: 'Inference request time from arrival to response, successful requests.',
    labelNames,
    buckets: LATENCY_BUCKETS_S,
    registers: [registry],
  });
  const queueDuration = new Histogram({
    name: 'scorer_queue_duration_seconds',
    help: 'Time a request waited for a worker.',
    labelNames,
    buckets: LATENCY_BUCKETS_S,
    registers: [registry],
  });
  const computeDuration = new Histogram({
    name: 'scorer_compute_duration_seconds',
    help: 'onnxruntime run time per batch.',
    labelNames,
    buckets: LATENCY_BUCKETS_S,
    registers: [registry],
  });
  const batchRows = new Histogram({
    name: 'scorer_batch_rows',
    help: 'Rows per run.',
    labelNames,
    buckets: BATCH_BUCKETS,
    registers: [registry],
  });
  const queueDepth = new Gauge({
    name: 'scorer_queue_depth',
    help: 'Requests waiting for a worker.',
    labelNames,
    registers: [registry],
  });
  const workerRestarts = new Counter({
    name: 'scorer_worker_restarts_total',
    help: 'Inference workers that died and were replaced.',
    labelNames,
    registers: [registry],
  });

  const perModel = new Map<string, ModelMetrics>();
  const bind = (model: string, version: string): ModelMetrics => {
    const labels = { model, version };
    const outcomes = new Map<Outcome, Counter.Internal>();
    const duration = requestDuration.labels(labels);
    const queue = queueDuration.labels(labels);
    const rows = batchRows.labels(labels);
    const compute = computeDuration.labels(labels);
    const depth = queueDepth.labels(labels);
    const restarts = workerRestarts.labels(labels);
    return {
      requestFinished: (outcome, seconds) => {
        let counter = outcomes.get(outcome);
        if (counter === undefined) {
          counter = requests.labels({ ...labels, outcome });
          outcomes.set(outcome, counter);
        }
        counter.inc();
        if (outcome === 'ok' && seconds !== undefined) duration.observe(seconds);
      },
      queued: (seconds) => queue.observe(seconds),
      observers: {
        pool: { workerExited: () => restarts.inc() },
        scheduler: {
          batchStarted: (count) => rows.observe(count),
          batchFinished: (computeMs) => compute.observe(computeMs / 1000),
          queueDepthChanged: (waiting) => depth.set(waiting),
        },
      },
    };
  };

  return {
    registry,
    /** The metrics of one model version, with its label values bound once (the hot path hashes no labels). */
    forModel: (model: string, version: string): ModelMetrics => {
      const key = `${model}\u0000${version}`;
      let bound = perModel.get(key);
      if (bound === undefined) {
        bound = bind(model, version);
        perModel.set(key, bound);
      }
      return bound;
    },
  };
}

/** One model version's metrics. */
export type ModelMetrics = {
  /** Counts one finished request; `seconds` is observed for successes. */
  requestFinished(outcome: Outcome, seconds?: number): void;
  queued(seconds: number): void;
  observers: NonNullable<ServedModelOptions['observers']>;
};

export type ScorerMetrics = ReturnType<typeof createScorerMetrics>;

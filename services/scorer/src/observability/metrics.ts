import { BoundMetric } from '@splitserve/service-kit';
import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import type { ServedModelOptions } from '../models/served-model.ts';

const LATENCY_BUCKETS_S: readonly number[] = [
  0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
];
const BATCH_BUCKETS = [1, 2, 4, 8, 16, 32, 64, 128, 256];

/** Outcome label of a finished inference request. */
export type Outcome = 'ok' | 'bad_request' | 'overloaded' | 'not_ready' | 'expired' | 'failed' | 'shutting_down';

/**
 * The scorer's Prometheus metrics on their own registry (no global state), with per-model observers for the pool
 * and the scheduler.
 */
export function createScorerMetrics() {
  const registry = new Registry();
  // The event-loop delay monitor wakes the loop at this interval: at prom-client's default of 10 ms that is 100
  // wake-ups a second in an idle scorer (9 ms of CPU a second here). Stalls longer than the interval still show.
  collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: 100 });
  const labelNames = ['model', 'version'] as const;
  // Per-request series are bound once per model (BoundMetric): prom-client hashes and validates label values on every
  // call, several times a request. The queue depth is read when scraped instead of set on every change.
  const requests = new BoundMetric({
    name: 'scorer_requests_total',
    help: 'Inference requests by model, version and outcome.',
    type: 'counter',
    registers: [registry],
  });
  const histogram = (name: string, help: string, buckets: readonly number[]) =>
    new BoundMetric({ name, help, type: 'histogram', buckets, registers: [registry] });
  const requestDuration = histogram(
    'scorer_request_duration_seconds',
    'Inference request time from arrival to response, successful requests.',
    LATENCY_BUCKETS_S,
  );
  const queueDuration = histogram(
    'scorer_queue_duration_seconds',
    'Time a request waited for a worker.',
    LATENCY_BUCKETS_S,
  );
  const computeDuration = histogram(
    'scorer_compute_duration_seconds',
    'onnxruntime run time per batch.',
    LATENCY_BUCKETS_S,
  );
  const batchRows = histogram('scorer_batch_rows', 'Rows per run.', BATCH_BUCKETS);
  const depths = new Map<string, { labels: { model: string; version: string }; waiting: number }>();
  new Gauge({
    name: 'scorer_queue_depth',
    help: 'Requests waiting for a worker.',
    labelNames,
    registers: [registry],
    collect() {
      for (const { labels, waiting } of depths.values()) this.set(labels, waiting);
    },
  });
  const workerRestarts = new Counter({
    name: 'scorer_worker_restarts_total',
    help: 'Inference workers that died and were replaced.',
    labelNames,
    registers: [registry],
  });

  const perModel = new Map<string, ModelMetrics>();
  const bind = (key: string, model: string, version: string): ModelMetrics => {
    const labels = { model, version };
    const outcomes = new Map<Outcome, (value?: number) => void>();
    const duration = requestDuration.bind(labels);
    const queue = queueDuration.bind(labels);
    const rows = batchRows.bind(labels);
    const compute = computeDuration.bind(labels);
    const depth = { labels, waiting: 0 };
    depths.set(key, depth);
    const restarts = workerRestarts.labels(labels);
    return {
      requestFinished: (outcome, seconds) => {
        let count = outcomes.get(outcome);
        if (count === undefined) {
          count = requests.bind({ ...labels, outcome });
          outcomes.set(outcome, count);
        }
        count();
        if (outcome === 'ok' && seconds !== undefined) duration(seconds);
      },
      queued: (seconds) => queue(seconds),
      observers: {
        pool: { workerExited: () => restarts.inc() },
        scheduler: {
          batchStarted: (count) => rows(count),
          batchFinished: (computeMs) => compute(computeMs / 1000),
          queueDepthChanged: (waiting) => {
            depth.waiting = waiting;
          },
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
        bound = bind(key, model, version);
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

import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { DependencyObserver } from '../upstream/dependency.ts';

const LATENCY_BUCKETS_S = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.25, 0.5, 1, 2.5, 5];
const BREAKER_VALUE = { closed: 0, open: 1, 'half-open': 2, isolated: 3 } as const;

/** The gateway's Prometheus metrics on their own registry, with a per-dependency observer. */
export function createGatewayMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const registers = [registry];
  const requests = new Counter({
    name: 'gateway_requests_total',
    help: 'Requests by route and status.',
    labelNames: ['route', 'status'],
    registers,
  });
  const requestDuration = new Histogram({
    name: 'gateway_request_duration_seconds',
    help: 'Request time from arrival to response, by route.',
    labelNames: ['route'],
    buckets: LATENCY_BUCKETS_S,
    registers,
  });
  const attempts = new Counter({
    name: 'gateway_dependency_attempts_total',
    help: 'Attempts (first tries, retries and hedges) per dependency, by outcome.',
    labelNames: ['dependency', 'outcome'],
    registers,
  });
  const attemptDuration = new Histogram({
    name: 'gateway_dependency_attempt_duration_seconds',
    help: 'Time per attempt, per dependency.',
    labelNames: ['dependency'],
    buckets: LATENCY_BUCKETS_S,
    registers,
  });
  const counter = (name: string, help: string) => new Counter({ name, help, labelNames: ['dependency'], registers });
  const retries = counter('gateway_dependency_retries_total', 'Retries per dependency.');
  const budgetExhausted = counter(
    'gateway_dependency_retry_budget_exhausted_total',
    'Retries refused because the retry budget was spent.',
  );
  const hedges = counter('gateway_dependency_hedges_total', 'Hedged (duplicate) calls per dependency.');
  const coalesced = counter('gateway_dependency_coalesced_total', 'Calls that joined an identical call in flight.');
  const degraded = counter('gateway_degraded_total', 'Answers that used an optional source’s defaults.');
  const breaker = new Gauge({
    name: 'gateway_dependency_breaker_state',
    help: 'Circuit state per dependency: 0 closed, 1 open, 2 half-open, 3 isolated.',
    labelNames: ['dependency'],
    registers,
  });

  return {
    registry,
    requestFinished: (route: string, status: number, seconds: number): void => {
      requests.inc({ route, status });
      requestDuration.observe({ route }, seconds);
    },
    coalesced: (dependency: string): void => coalesced.inc({ dependency }),
    degraded: (dependency: string): void => degraded.inc({ dependency }),
    observerFor: (dependency: string): DependencyObserver => {
      const labels = { dependency };
      breaker.set(labels, 0);
      return {
        attempt: (outcome, seconds) => {
          attempts.inc({ dependency, outcome });
          attemptDuration.observe(labels, seconds);
        },
        retry: () => retries.inc(labels),
        budgetExhausted: () => budgetExhausted.inc(labels),
        hedge: () => hedges.inc(labels),
        breakerState: (state) => breaker.set(labels, BREAKER_VALUE[state]),
      };
    },
  };
}

export type GatewayMetrics = ReturnType<typeof createGatewayMetrics>;

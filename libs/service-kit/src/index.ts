export { BoundMetric } from './bound-metric.ts';
export { createLogger, traceField } from './logger.ts';
export {
  createLifecycle,
  drainOnSignals,
  countInFlight,
  inFlightTracker,
  LATE_ARRIVAL_GRACE_MS,
  type Lifecycle,
} from './graceful-shutdown.ts';
export { BodyTooLargeError, readBody } from './read-body.ts';
export type { Logger } from 'pino';
export { nodeResponse, requestHeader, setResponseHeader } from './node-http.ts';
export { assignRequestId, requestId } from './request-id.ts';

/**
 * The scripts' own metrics, all k6 `Rate`s tagged `route` and `phase`. A request is exactly one of: answered, shed
 * (503 with Retry-After: the service refusing work it cannot do in time, expected past the knee) or an error
 * (anything else: other statuses, timeouts, transport errors, a 2xx whose body fails the shape checks).
 */
export const METRIC = {
  /** Per request: 503 with a Retry-After header. */
  shed: 'shed',
  /** Per request: neither a well-formed 2xx nor a shed. */
  errors: 'errors',
  /** Per scored entity (gateway): an optional feature source failed and its defaults were used. */
  degraded: 'degraded',
  /** Per entity of a batch answered 200: its item is a 503 problem. */
  batchItemsShed: 'batch_items_shed',
  /** Per entity of a batch answered 200: its item is another problem, or scores that fail the shape checks. */
  batchItemsErrors: 'batch_items_errors',
} as const;

/** k6's built-in metrics the thresholds use. */
export const BUILTIN = {
  duration: 'http_req_duration',
  requests: 'http_reqs',
  dropped: 'dropped_iterations',
  checks: 'checks',
} as const;

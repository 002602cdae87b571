/** How a call to a dependency failed. */
export type UpstreamFailure =
  | 'connect' // refused, reset or dropped before a full answer
  | 'timeout' // the attempt's own timeout
  | 'status' // an error status
  | 'invalid-body' // not the JSON (or tensors) expected, truncated, or too large
  | 'circuit-open' // the breaker refused the call
  | 'bulkhead-full' // too many calls in flight and queued
  | 'deadline'; // the request's deadline passed

const RETRYABLE_STATUS = new Set([429, 502, 503, 504]);

/**
 * A failed dependency call. `code`-like matching on `failure`; `retryable` follows the policy: connect errors and
 * 429/502/503/504 only.
 */
export class UpstreamError extends Error {
  readonly dependency: string;
  readonly failure: UpstreamFailure;
  readonly status: number | undefined;
  /** From `Retry-After`, when the dependency sent one. */
  readonly retryAfterMs: number | undefined;

  constructor(
    dependency: string,
    failure: UpstreamFailure,
    message: string,
    options: { status?: number; retryAfterMs?: number; cause?: unknown } = {},
  ) {
    super(`${dependency}: ${message}`, { cause: options.cause });
    this.name = 'UpstreamError';
    this.dependency = dependency;
    this.failure = failure;
    this.status = options.status;
    this.retryAfterMs = options.retryAfterMs;
  }

  /** A 429 or 503 with `Retry-After`: the dependency refused this call to protect itself. */
  get isShedding(): boolean {
    return this.failure === 'status' && (this.status === 429 || this.status === 503) && this.retryAfterMs !== undefined;
  }

  get retryable(): boolean {
    return this.failure === 'connect' || (this.failure === 'status' && RETRYABLE_STATUS.has(this.status ?? 0));
  }

  /**
   * Whether this failure says the dependency is unhealthy (and so counts towards opening its breaker). A 429 or 503
   * that carries `Retry-After` is a healthy dependency shedding load on purpose, as the scorer does when its queue is
   * full: opening the breaker on it would turn away the share it can still serve.
   */
  get isFault(): boolean {
    if (this.isShedding) return false;
    if (this.failure === 'status') return (this.status ?? 0) >= 500 || this.status === 429;
    return this.failure === 'connect' || this.failure === 'timeout' || this.failure === 'invalid-body';
  }
}

export function isUpstreamError(error: unknown): error is UpstreamError {
  return error instanceof Error && error.name === 'UpstreamError' && 'failure' in error;
}

/** Parses `Retry-After` (seconds or an HTTP date) into milliseconds from now. */
export function parseRetryAfterMs(value: string | string[] | undefined, now = Date.now()): number | undefined {
  const text = Array.isArray(value) ? value[0] : value;
  if (text === undefined || text.trim() === '') return undefined;
  if (/^\d{1,9}$/.test(text.trim())) return Number(text) * 1000;
  // Only an HTTP date (it names a weekday and month); JavaScript's parser would also take "1.5" or "-5".
  if (!/[a-z]{3}/i.test(text)) return undefined;
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

import type { ScorerErrorCode } from '@splitserve/contracts';

/**
 * The scorer's one error family. Handlers and the scheduler throw these; `onError` renders
 * `{"error": message, "code": code}` with `status`, plus `Retry-After` when `retryAfterS` is set.
 */
export class ScorerError extends Error {
  readonly code: ScorerErrorCode;
  readonly status: 400 | 404 | 405 | 413 | 415 | 500 | 503 | 504;
  readonly retryAfterS: number | undefined;

  constructor(
    code: ScorerErrorCode,
    status: ScorerError['status'],
    message: string,
    options: { cause?: unknown; retryAfterS?: number } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = 'ScorerError';
    this.code = code;
    this.status = status;
    this.retryAfterS = options.retryAfterS;
  }
}

/** Matches by brand rather than `instanceof`, so errors crossing module copies still match. */
export function isScorerError(error: unknown): error is ScorerError {
  return error instanceof Error && error.name === 'ScorerError' && 'code' in error && 'status' in error;
}

/** 400: the request does not fit the protocol or the model. */
export function invalidInput(
  message: string,
  code: 'INVALID_INPUT' | 'INVALID_REQUEST' | 'INVALID_JSON' = 'INVALID_INPUT',
) {
  return new ScorerError(code, 400, message);
}

/** 404: no such model, or no such version of it. */
export function modelNotFound(name: string, version?: string) {
  const what = version === undefined ? `model '${name}'` : `version '${version}' of model '${name}'`;
  return new ScorerError('MODEL_NOT_FOUND', 404, `unknown ${what}`);
}

/** 503 with `Retry-After`: overloaded, not ready, or shutting down. The request was not run. */
export function unavailable(
  code: 'OVERLOADED' | 'MODEL_NOT_READY' | 'SHUTTING_DOWN',
  message: string,
  retryAfterS = 1,
) {
  return new ScorerError(code, 503, message, { retryAfterS });
}

/** 504: the request's deadline passed before its result was ready. */
export function deadlineExceeded(message: string) {
  return new ScorerError('DEADLINE_EXCEEDED', 504, message);
}

/** 500: inference itself failed, or the worker running it died. */
export function inferenceFailed(code: 'INFERENCE_FAILED' | 'WORKER_DIED', message: string, cause?: unknown) {
  return new ScorerError(code, 500, message, { cause });
}

import type { GatewayErrorCode, ProblemDetails } from '@splitserve/contracts';
import { isUpstreamError, type UpstreamError } from './upstream/upstream-error.ts';

type Status = 400 | 401 | 404 | 413 | 415 | 422 | 500 | 503 | 504;

const TITLES: Record<Status, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  404: 'Not Found',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

/**
 * The gateway's one error family, rendered as RFC 9457 problem details by `onError`. `dependency` names the
 * dependency behind a 503 or 504; `retryAfterS` becomes `Retry-After`.
 */
export class GatewayError extends Error {
  readonly code: GatewayErrorCode;
  readonly status: Status;
  readonly dependency: string | undefined;
  readonly retryAfterS: number | undefined;

  constructor(
    code: GatewayErrorCode,
    status: Status,
    message: string,
    options: { dependency?: string; retryAfterS?: number; cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = 'GatewayError';
    this.code = code;
    this.status = status;
    this.dependency = options.dependency;
    this.retryAfterS = options.retryAfterS;
  }

  /** The problem details body. */
  toProblem(requestId: string | undefined): ProblemDetails {
    return {
      type: `https://splitserve.dev/problems/${this.code.toLowerCase().replaceAll('_', '-')}`,
      title: TITLES[this.status],
      status: this.status,
      detail: this.message,
      code: this.code,
      ...(this.dependency !== undefined && { dependency: this.dependency }),
      ...(requestId !== undefined && { requestId }),
    };
  }
}

export function isGatewayError(error: unknown): error is GatewayError {
  return error instanceof Error && error.name === 'GatewayError' && 'code' in error && 'status' in error;
}

/**
 * What a failed required dependency means for the caller: 504 when the deadline passed, otherwise a fast 503
 * naming the dependency (`CIRCUIT_OPEN` while its breaker is open).
 */
export function fromUpstream(error: UpstreamError): GatewayError {
  const dependency = error.dependency;
  // A dependency that answers 504 ran out of the time this request gave it: the request's deadline, not its health.
  const failure = error.failure === 'status' && error.status === 504 ? 'deadline' : error.failure;
  switch (failure) {
    case 'deadline':
      return new GatewayError('DEADLINE_EXCEEDED', 504, `the deadline passed waiting for ${dependency}`, {
        dependency,
        cause: error,
      });
    case 'circuit-open':
      return new GatewayError('CIRCUIT_OPEN', 503, `${dependency} is failing; its circuit is open`, {
        dependency,
        retryAfterS: 1,
        cause: error,
      });
    default:
      return new GatewayError('DEPENDENCY_UNAVAILABLE', 503, `${dependency} is unavailable: ${error.message}`, {
        dependency,
        // The dependency's own Retry-After when it shed the call, whole seconds as the header wants; else 1 s.
        retryAfterS: Math.max(1, Math.ceil((error.retryAfterMs ?? 0) / 1000)),
        cause: error,
      });
  }
}

/** Any failure as a GatewayError: upstream failures mapped, unknown ones as 500. */
export function toGatewayError(error: unknown): GatewayError {
  if (isGatewayError(error)) return error;
  if (isUpstreamError(error)) return fromUpstream(error);
  return new GatewayError('INTERNAL', 500, 'internal error', { cause: error });
}

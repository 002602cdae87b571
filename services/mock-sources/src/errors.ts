/**
 * The mock's one error family. Handlers throw these; the app's `onError` renders `{"error": message}` with `status`.
 * Injected failures are not errors: they are answers the behaviour asked for.
 */
export class MockSourceError extends Error {
  readonly code: 'BAD_REQUEST' | 'NOT_FOUND';
  readonly status: 400 | 404;

  constructor(code: MockSourceError['code'], status: MockSourceError['status'], message: string) {
    super(message);
    this.name = 'MockSourceError';
    this.code = code;
    this.status = status;
  }
}

/** Matches by brand rather than `instanceof`, so errors crossing module copies still match. */
export function isMockSourceError(error: unknown): error is MockSourceError {
  return error instanceof Error && error.name === 'MockSourceError' && 'code' in error && 'status' in error;
}

/** 400: a malformed entity id or admin body. */
export function badRequest(message: string): MockSourceError {
  return new MockSourceError('BAD_REQUEST', 400, message);
}

/** 404: an entity the source does not know, or a route it does not serve. */
export function notFound(message = 'not found'): MockSourceError {
  return new MockSourceError('NOT_FOUND', 404, message);
}

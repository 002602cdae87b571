import type { Dispatcher } from 'undici';
import { HEADER } from '@splitserve/contracts';
import type { Deadline } from './deadline.ts';
import { parseRetryAfterMs, UpstreamError } from './upstream-error.ts';

/** What one attempt sends. */
export type UpstreamRequest = {
  method: 'GET' | 'POST';
  path: string;
  headers: Record<string, string>;
  body?: Uint8Array;
};

/** A 2xx answer, its body read whole. */
export type UpstreamResponse = { headers: Record<string, string | string[] | undefined>; body: Buffer };

/** How much of an error answer's body is read (and dropped) to keep its connection; a longer one closes it. */
const ERROR_BODY_LIMIT = 64 * 1024;

/**
 * One HTTP attempt: sends the request with the deadline's remaining time in `X-Request-Timeout-Ms`, and resolves
 * with the headers and whole body of a 2xx answer. Any other status rejects with an `UpstreamError` once its body
 * is drained (up to 64 KiB, past which the connection is closed instead). Aborting `signal` aborts the request and
 * rejects with the signal's reason.
 *
 * Through undici's `dispatch` rather than `request`: every answer here is read whole into memory, and `request`
 * builds a readable stream, an async resource and a body consumer for each, which came to about 15 % of the
 * gateway's CPU per `/v1/score` (`loadtest/bench/gateway-compare.ts`).
 */
export function sendRequest(
  dispatcher: Dispatcher,
  dependency: string,
  request: UpstreamRequest,
  deadline: Deadline,
  signal: AbortSignal,
): Promise<UpstreamResponse> {
  if (signal.aborted) return Promise.reject(signal.reason as Error);
  return new Promise((resolve, reject) => {
    const handler = new WholeBodyHandler(dependency, signal, resolve, reject);
    try {
      dispatcher.dispatch(
        {
          method: request.method,
          path: request.path,
          headers: {
            ...request.headers,
            [HEADER.requestTimeoutMs]: String(Math.max(1, Math.floor(deadline.remainingMs()))),
          },
          body: request.body ?? null,
        },
        handler,
      );
    } catch (error) {
      handler.fail(error as Error);
    }
  });
}

/**
 * Collects one answer's body as undici delivers it, and settles once: on its end, its error or the caller's abort.
 * A class, as undici's own handlers are, so that every call shares its methods instead of making closures.
 */
class WholeBodyHandler implements Dispatcher.DispatchHandler {
  readonly #dependency: string;
  readonly #signal: AbortSignal;
  readonly #resolve: (response: UpstreamResponse) => void;
  readonly #reject: (error: Error) => void;
  #controller: Dispatcher.DispatchController | undefined;
  #status = 0;
  #headers: Record<string, string | string[] | undefined> = {};
  #chunks: Buffer[] = [];
  #bytes = 0;
  #settled = false;
  readonly #onAbort = () => {
    const reason = this.#signal.reason as Error;
    this.#controller?.abort(reason);
    this.fail(reason);
  };

  constructor(
    dependency: string,
    signal: AbortSignal,
    resolve: (response: UpstreamResponse) => void,
    reject: (error: Error) => void,
  ) {
    this.#dependency = dependency;
    this.#signal = signal;
    this.#resolve = resolve;
    this.#reject = reject;
    signal.addEventListener('abort', this.#onAbort, { once: true });
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.#controller = controller;
    if (this.#settled) controller.abort(this.#signal.reason as Error);
  }

  onResponseStart(
    _controller: Dispatcher.DispatchController,
    statusCode: number,
    headers: Record<string, string | string[] | undefined>,
  ): void {
    // 1xx answers come before the real one.
    if (statusCode < 200) return;
    this.#status = statusCode;
    this.#headers = headers;
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    this.#bytes += chunk.length;
    if (this.#status < 300) this.#chunks.push(chunk);
    else if (this.#bytes > ERROR_BODY_LIMIT) controller.abort(this.#failure());
  }

  onResponseEnd(): void {
    if (this.#status >= 300) {
      this.fail(this.#failure());
      return;
    }
    const chunks = this.#chunks;
    this.#settle();
    this.#resolve({
      headers: this.#headers,
      body: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, this.#bytes),
    });
  }

  onResponseError(_controller: Dispatcher.DispatchController, error: Error): void {
    this.fail(error);
  }

  fail(error: Error): void {
    if (this.#settled) return;
    this.#settle();
    this.#reject(error);
  }

  #settle(): void {
    this.#settled = true;
    this.#chunks = [];
    this.#signal.removeEventListener('abort', this.#onAbort);
  }

  #failure(): UpstreamError {
    const status = this.#status;
    return new UpstreamError(this.#dependency, 'status', `answered ${status}`, {
      status,
      ...withRetryAfter(this.#headers['retry-after']),
    });
  }
}

/** Parses a JSON object body; anything else is an `invalid-body` failure. */
export function parseJsonObject(dependency: string, body: Buffer): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(body.toString('utf8'));
  } catch (error) {
    throw new UpstreamError(dependency, 'invalid-body', 'answered with a body that is not JSON', { cause: error });
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new UpstreamError(dependency, 'invalid-body', 'answered with JSON that is not an object');
  }
  return value as Record<string, unknown>;
}

function withRetryAfter(value: string | string[] | undefined): { retryAfterMs?: number } {
  const ms = parseRetryAfterMs(value);
  return ms === undefined ? {} : { retryAfterMs: ms };
}

import type { Dispatcher } from 'undici';
import type { RequestSpec } from './inference-request.ts';

// Generous, but a stuck server must fail the run, not hang it.
const REQUEST_TIMEOUT_MS = 30_000;

/** Options of every load-client connection: keep-alive, no pipelining, bounded waits. */
export const DISPATCHER_OPTIONS = {
  pipelining: 1,
  keepAliveTimeout: 60_000,
  headersTimeout: REQUEST_TIMEOUT_MS,
  bodyTimeout: REQUEST_TIMEOUT_MS,
} as const;

/** Failed requests by response status, or by error code for requests that got no response (`ECONNRESET`). */
export type FailureCounts = Record<string, number>;

/** A function sending `spec` once and resolving with the response status, after reading the whole body. */
export function statusRequester(dispatcher: Dispatcher, spec: RequestSpec): () => Promise<number> {
  const nextBody = bodySequence(spec);
  const { method, path, headers } = spec;
  return async () => {
    const response = await dispatcher.request({ method, path, headers, body: nextBody() });
    await response.body.arrayBuffer();
    return response.statusCode;
  };
}

/** A function sending `spec` once and resolving `true` on a 2xx, after reading the whole response body. */
export function requester(dispatcher: Dispatcher, spec: RequestSpec): () => Promise<boolean> {
  const send = statusRequester(dispatcher, spec);
  return async () => isSuccess(await send());
}

export function isSuccess(status: number): boolean {
  return status >= 200 && status < 300;
}

/**
 * The body of each next request: the same bytes every time, or, with a `sequenceMarker`, the body with its marker
 * replaced by 0, 1, 2, … Throws when the marker is not in the body.
 */
export function bodySequence(spec: RequestSpec): () => Buffer | undefined {
  if (spec.bodyBase64 === undefined) return () => undefined;
  const body = Buffer.from(spec.bodyBase64, 'base64');
  if (spec.sequenceMarker === undefined) return () => body;
  const text = body.toString('utf8');
  const at = text.indexOf(spec.sequenceMarker);
  if (at === -1) throw new Error(`the body of ${spec.path} has no marker ${spec.sequenceMarker}`);
  const before = text.slice(0, at);
  const after = text.slice(at + spec.sequenceMarker.length);
  let next = 0;
  return () => Buffer.from(`${before}${next++}${after}`);
}

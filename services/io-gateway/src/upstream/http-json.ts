import type { Dispatcher } from 'undici';
import { HEADER } from '@splitserve/contracts';
import type { Deadline } from './deadline.ts';
import { parseRetryAfterMs, UpstreamError } from './upstream-error.ts';

/**
 * One HTTP attempt: sends the request with the deadline's remaining time in `X-Request-Timeout-Ms`, and returns
 * the status, headers and whole body. Error statuses become `UpstreamError`s after their body is drained.
 */
export async function sendRequest(
  dispatcher: Dispatcher,
  dependency: string,
  request: { method: 'GET' | 'POST'; path: string; headers: Record<string, string>; body?: Uint8Array },
  deadline: Deadline,
  signal: AbortSignal,
): Promise<{ headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  const response = await dispatcher.request({
    method: request.method,
    path: request.path,
    headers: { ...request.headers, [HEADER.requestTimeoutMs]: String(Math.max(1, Math.floor(deadline.remainingMs()))) },
    ...(request.body && { body: request.body }),
    signal,
  });
  if (response.statusCode < 200 || response.statusCode >= 300) {
    await response.body.dump({ limit: 64 * 1024 }).catch(() => undefined);
    throw new UpstreamError(dependency, 'status', `answered ${response.statusCode}`, {
      status: response.statusCode,
      ...withRetryAfter(response.headers['retry-after']),
    });
  }
  return { headers: response.headers, body: Buffer.from(await response.body.arrayBuffer()) };
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

import { setTimeout as sleep } from 'node:timers/promises';

/** How long a `slow-body` answer takes from its first byte to its last. */
export const SLOW_BODY_MS = 2_000;
const CHUNKS = 11;

/**
 * 200 with the complete, valid `json` and its real `Content-Length`, sent in chunks over `durationMs`: the headers
 * and first chunk at once, the rest spaced evenly. The pending wait is cancelled when the client goes away.
 */
export function slowBodyAnswer(json: string, durationMs = SLOW_BODY_MS): Response {
  const bytes = new TextEncoder().encode(json);
  const chunkSize = Math.ceil(bytes.length / CHUNKS);
  const cancelled = new AbortController();
  let offset = 0;
  const body = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        if (offset > 0) await sleep(durationMs / (CHUNKS - 1), undefined, { signal: cancelled.signal });
        controller.enqueue(bytes.subarray(offset, offset + chunkSize));
        offset += chunkSize;
        if (offset >= bytes.length) controller.close();
      },
      cancel() {
        cancelled.abort();
      },
    },
    // No read-ahead: each chunk is produced only when the previous one has been taken, so the spacing holds.
    { highWaterMark: 0 },
  );
  return new Response(body, {
    status: 200,
    headers: { 'content-type': 'application/json', 'content-length': String(bytes.length) },
  });
}

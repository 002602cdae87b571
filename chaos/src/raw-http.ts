import { connect } from 'node:net';

/** What came back on a raw connection: the status of the first answer, if any. */
export type RawAnswer = {
  /** From the first status line; undefined when the server closed (or we gave up) without answering. */
  status: number | undefined;
  /** The first answer's headers, lower-cased, when there was one. */
  headers: Record<string, string>;
  body: string;
  /** The server kept the connection open without answering until `timeoutMs` (e.g. waiting for promised bytes). */
  timedOut: boolean;
  error?: string;
};

/**
 * Writes `bytes` as they are to a fresh TCP connection (what `fetch` refuses to send: malformed request lines and
 * headers, lying `Content-Length`s, raw garbage), half-closes it so the server sees the end of the input, and
 * collects what comes back until the server closes or `timeoutMs` passes.
 */
export function rawRequest(port: number, bytes: Uint8Array, timeoutMs = 2_000): Promise<RawAnswer> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    const chunks: Buffer[] = [];
    let timedOut = false;
    let error: string | undefined;
    const timer = setTimeout(() => {
      timedOut = true;
      socket.destroy();
    }, timeoutMs);
    socket.on('connect', () => {
      socket.end(bytes);
    });
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', (e: NodeJS.ErrnoException) => {
      error = e.code ?? e.message;
    });
    socket.on('close', () => {
      clearTimeout(timer);
      resolve({ ...parseAnswer(Buffer.concat(chunks).toString('latin1')), timedOut, ...(error && { error }) });
    });
  });
}

function parseAnswer(text: string): Pick<RawAnswer, 'status' | 'headers' | 'body'> {
  const match = /^HTTP\/1\.[01] (\d{3})/.exec(text);
  if (match === null) return { status: undefined, headers: {}, body: '' };
  const end = text.indexOf('\r\n\r\n');
  const headers: Record<string, string> = {};
  for (const line of text
    .slice(0, end === -1 ? undefined : end)
    .split('\r\n')
    .slice(1)) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { status: Number(match[1]), headers, body: end === -1 ? '' : text.slice(end + 4) };
}

/** Runs `work` over `items` with at most `concurrency` at once; results in order. */
export async function inParallel<T, R>(
  items: readonly T[],
  concurrency: number,
  work: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]!, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, lane));
  return results;
}

import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { createSeededRandom } from '@splitserve/demo-domain';
import { Pool } from 'undici';

/** What the proxy does to a request it applies a fault to. */
export const FAULT_MODES = ['pass', 'status', 'reset', 'hang', 'slow-body', 'truncated', 'garbage'] as const;
export type FaultMode = (typeof FAULT_MODES)[number];

/**
 * The proxy's behaviour. `pass` forwards (after `latencyMs` ± `jitterMs`); `status` answers `status` without
 * forwarding; `reset` resets the connection; `hang` never answers; `garbage` answers 200 with an HTML page as JSON;
 * `slow-body` forwards and trickles the answer over `slowBodyMs`; `truncated` forwards and sends half the answer
 * under the full Content-Length, then closes. `rate` (0..1) is the share of requests the mode applies to.
 */
export type Fault = {
  mode: FaultMode;
  rate?: number;
  latencyMs?: number;
  jitterMs?: number;
  status?: number;
  retryAfterS?: number;
  slowBodyMs?: number;
};

/** Counts since the last reset: every request received, those forwarded, faults by mode, failed forwards. */
export type FaultProxyStats = {
  received: number;
  forwarded: number;
  faults: Record<FaultMode, number>;
  upstreamErrors: number;
  inFlight: number;
};

/** A running proxy, owned by the test that started it. */
export type FaultProxy = {
  url: string;
  port: number;
  /** Takes effect for requests that arrive from now on. */
  setFault(fault: Fault): void;
  stats(): FaultProxyStats;
  resetStats(): void;
  close(): Promise<void>;
};

// Hop-by-hop headers (RFC 9110 §7.6.1) and the ones recomputed for the forwarded body.
const NOT_FORWARDED = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'te',
  'trailer',
  'upgrade',
  'host',
  'content-length',
]);
const GARBAGE = '<html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1></body></html>';

/**
 * Starts an HTTP proxy on 127.0.0.1 in front of `target` (an origin), switchable at run time with `setFault`.
 * Requests are read whole, then faulted or forwarded through one undici pool. When the target cannot be reached the
 * client's connection is reset, as a transparent proxy would pass on the failure. Random choices (rate, jitter)
 * come from a seeded generator, so a run is repeatable.
 */
export async function startFaultProxy(options: { target: string; port?: number; seed?: number }): Promise<FaultProxy> {
  const upstream = new Pool(options.target, { connections: 256, keepAliveTimeout: 4_000 });
  const random = createSeededRandom(options.seed ?? 1);
  let fault: Fault = { mode: 'pass' };
  let stats = emptyStats();

  const chooseMode = (current: Fault): FaultMode =>
    current.mode !== 'pass' && random.uniform() < (current.rate ?? 1) ? current.mode : 'pass';
  const delayMs = (current: Fault) =>
    Math.max(0, (current.latencyMs ?? 0) + (current.jitterMs ?? 0) * (2 * random.uniform() - 1));

  const handle = async (request: IncomingMessage, response: ServerResponse, gone: AbortSignal) => {
    const current = fault;
    const mode = chooseMode(current);
    const wait = delayMs(current);
    const body = await readAll(request);
    if (wait > 0) await sleep(wait, undefined, { signal: gone });
    if (mode !== 'pass') stats.faults[mode]++;
    switch (mode) {
      case 'reset':
        request.socket.resetAndDestroy();
        return;
      case 'hang':
        return;
      case 'status':
        response.writeHead(current.status ?? 503, {
          'content-type': 'application/json',
          ...(current.retryAfterS !== undefined && { 'retry-after': String(current.retryAfterS) }),
        });
        response.end(JSON.stringify({ error: 'injected by the fault proxy', code: 'INJECTED' }));
        return;
      case 'garbage':
        response.writeHead(200, { 'content-type': 'application/json' }).end(GARBAGE);
        return;
    }
    let answer: { status: number; headers: Record<string, string | string[]>; body: Buffer };
    try {
      stats.forwarded++;
      answer = await forward(upstream, request, body, gone);
    } catch {
      if (gone.aborted) return;
      stats.upstreamErrors++;
      request.socket.resetAndDestroy();
      return;
    }
    response.writeHead(answer.status, { ...answer.headers, 'content-length': String(answer.body.byteLength) });
    if (mode === 'truncated') {
      response.write(answer.body.subarray(0, answer.body.byteLength >> 1), () => request.socket.destroy());
    } else if (mode === 'slow-body') {
      await trickle(response, answer.body, current.slowBodyMs ?? 2_000, gone);
    } else {
      response.end(answer.body);
    }
  };

  const server = createServer((request, response) => {
    stats.received++;
    stats.inFlight++;
    const gone = new AbortController();
    response.once('close', () => {
      stats.inFlight--;
      gone.abort();
    });
    handle(request, response, gone.signal).catch(() => {
      // The client left mid-way (an aborted sleep or write): nothing is left to answer.
      if (!response.headersSent && !gone.signal.aborted) response.writeHead(500).end();
    });
  });
  server.listen(options.port ?? 0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    setFault(next) {
      fault = { ...next };
    },
    stats: () => ({ ...stats, faults: { ...stats.faults } }),
    resetStats() {
      stats = { ...emptyStats(), inFlight: stats.inFlight };
    },
    async close() {
      const closed = once(server, 'close');
      server.close();
      server.closeAllConnections();
      await closed;
      await upstream.destroy();
    },
  };
}

function emptyStats(): FaultProxyStats {
  const faults = Object.fromEntries(FAULT_MODES.map((mode) => [mode, 0])) as Record<FaultMode, number>;
  return { received: 0, forwarded: 0, faults, upstreamErrors: 0, inFlight: 0 };
}

async function readAll(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function forward(upstream: Pool, request: IncomingMessage, body: Buffer, gone: AbortSignal) {
  const answer = await upstream.request({
    method: request.method ?? 'GET',
    path: request.url ?? '/',
    headers: forwardable(request.headers),
    ...(body.byteLength > 0 && { body }),
    signal: gone,
  });
  const bytes = Buffer.from(await answer.body.arrayBuffer());
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(answer.headers)) {
    if (value !== undefined && !NOT_FORWARDED.has(name)) headers[name] = value;
  }
  return { status: answer.statusCode, headers, body: bytes };
}

function forwardable(headers: IncomingHttpHeaders): Record<string, string | string[]> {
  const kept: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined && !NOT_FORWARDED.has(name)) kept[name] = value;
  }
  return kept;
}

/** Writes `body` in 11 pieces spread over `totalMs`, the way a struggling upstream streams an answer. */
async function trickle(response: ServerResponse, body: Buffer, totalMs: number, gone: AbortSignal): Promise<void> {
  const pieces = 11;
  const size = Math.ceil(body.byteLength / pieces);
  for (let i = 0; i < pieces; i++) {
    response.write(body.subarray(i * size, (i + 1) * size));
    if (i < pieces - 1) await sleep(totalMs / (pieces - 1), undefined, { signal: gone });
  }
  response.end();
}

import { setTimeout as sleep } from 'node:timers/promises';
import { watchLoopStalls } from '@splitserve/test-support';
import { Pool } from 'undici';
import { cpuPressureUs } from './machine.ts';

/** One request of a load: what to send. */
export type LoadRequest = {
  method: 'GET' | 'POST';
  path: string;
  headers?: Record<string, string>;
  body?: string | Uint8Array;
};

/** What happened to one request: an HTTP status, a transport error, or no answer within the client's hard cap. */
export type Outcome = {
  index: number;
  /** `performance.now()` when the request was handed to the connection pool. */
  sentAt: number;
  /** From `sentAt` to the last byte of the answer (or to the error, or to the hard cap). */
  latencyMs: number;
  status: number | 'error' | 'unanswered';
  /** The error body's `code` (both services send one), when there is one. */
  code?: string;
  /** A gateway answer's `degraded` sources, when there are any. */
  degraded?: string[];
  /** The failing dependency a gateway problem names. */
  dependency?: string;
  retryAfter?: string;
  /** The transport error's code, for `error`. */
  error?: string;
};

export type LoadOptions = {
  origin: string;
  ratePerSecond: number;
  /** How long requests keep leaving; Infinity runs until `stop()`. */
  durationMs: number;
  request: (index: number) => LoadRequest;
  /** Sent as `X-Request-Timeout-Ms` when set. */
  deadlineMs?: number;
  /** The client stops waiting for an answer after this long and records it `unanswered` (default deadline + 5 s). */
  hardCapMs?: number;
  connections?: number;
};

/** Every request's outcome, in the order they were sent. */
export type LoadResult = {
  outcomes: Outcome[];
  /**
   * The longest this process's event loop was held up during the load. An answer can only be seen this much later
   * than it arrived: on a busy machine this, not the server, is what delays a client-side measurement.
   */
  clientStallMs: number;
  /** The server's longest event-loop stall over the load, where the server reports it (the gateway does). */
  serverStallMs?: number;
  /** Share of the load's time (%) during which some task on the machine waited for a CPU; undefined off Linux. */
  cpuPressurePct?: number;
};

/** A load in progress. */
export type RunningLoad = {
  /** Stops sending; `done` still waits for the answers due. */
  stop(): void;
  done: Promise<LoadResult>;
  /** Outcomes so far (answered requests only). */
  readonly outcomes: readonly Outcome[];
};

/**
 * Sends requests at a constant rate (open loop: each leaves on schedule whatever the answers), records every one's
 * outcome and latency, and never waits longer than the hard cap for any of them, so a hung server cannot hang the
 * test. Each request's deadline travels in `X-Request-Timeout-Ms`.
 */
export function startLoad(options: LoadOptions): RunningLoad {
  const pool = new Pool(options.origin, {
    connections: options.connections ?? 512,
    pipelining: 1,
    keepAliveTimeout: 4_000,
  });
  const hardCapMs = options.hardCapMs ?? (options.deadlineMs ?? 10_000) + 5_000;
  const outcomes: Outcome[] = [];
  const pending: Promise<void>[] = [];
  let stopped = false;
  const stalls = watchLoopStalls();
  const pressureAtStart = { us: cpuPressureUs(), at: performance.now() };

  const fire = (index: number) => {
    const spec = options.request(index);
    const headers: Record<string, string> = { ...spec.headers };
    if (options.deadlineMs !== undefined) headers['x-request-timeout-ms'] = String(options.deadlineMs);
    const sentAt = performance.now();
    pending.push(
      send(pool, spec, headers, hardCapMs).then((result) => {
        outcomes.push({ index, sentAt, latencyMs: performance.now() - sentAt, ...result });
      }),
    );
  };

  const schedule = async () => {
    const intervalMs = 1000 / options.ratePerSecond;
    const start = performance.now();
    for (let index = 0; !stopped;) {
      const dueAt = start + index * intervalMs;
      if (dueAt - start >= options.durationMs) break;
      const waitMs = dueAt - performance.now();
      if (waitMs > 1) {
        await sleep(waitMs);
        continue;
      }
      fire(index++);
    }
  };

  const done = schedule()
    .then(() => Promise.all(pending))
    .then(() => {
      const clientStallMs = stalls.stop();
      const pressureUs = cpuPressureUs();
      const waitedUs =
        pressureUs === undefined || pressureAtStart.us === undefined ? undefined : pressureUs - pressureAtStart.us;
      return {
        outcomes: outcomes.sort((a, b) => a.index - b.index),
        clientStallMs,
        ...(waitedUs !== undefined && {
          cpuPressurePct: Math.round(waitedUs / 10 / (performance.now() - pressureAtStart.at)),
        }),
      };
    })
    .finally(() => pool.close());
  return {
    stop() {
      stopped = true;
    },
    done,
    get outcomes() {
      return outcomes;
    },
  };
}

/** Runs a load to its end. */
export function runLoad(options: LoadOptions): Promise<LoadResult> {
  return startLoad(options).done;
}

async function send(
  pool: Pool,
  spec: LoadRequest,
  headers: Record<string, string>,
  hardCapMs: number,
): Promise<Omit<Outcome, 'index' | 'sentAt' | 'latencyMs'>> {
  const signal = AbortSignal.timeout(hardCapMs);
  try {
    const response = await pool.request({
      method: spec.method,
      path: spec.path,
      headers: spec.body === undefined ? headers : { 'content-type': 'application/json', ...headers },
      ...(spec.body !== undefined && { body: spec.body }),
      signal,
    });
    const text = await response.body.text();
    const retryAfter = response.headers['retry-after'];
    return {
      status: response.statusCode,
      ...fieldsOf(text),
      ...(typeof retryAfter === 'string' && { retryAfter }),
    };
  } catch (error) {
    if (signal.aborted) return { status: 'unanswered' };
    return { status: 'error', error: (error as { code?: string }).code ?? (error as Error).name };
  }
}

function fieldsOf(text: string): Pick<Outcome, 'code' | 'degraded' | 'dependency'> {
  if (!text.startsWith('{')) return {};
  try {
    const { code, degraded, dependency } = JSON.parse(text) as Record<string, unknown>;
    return {
      ...(typeof code === 'string' && { code }),
      ...(typeof dependency === 'string' && { dependency }),
      ...(Array.isArray(degraded) && degraded.length > 0 && { degraded: degraded.map(String) }),
    };
  } catch {
    return {};
  }
}

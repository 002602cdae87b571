import type { BenchRunContext } from '../bench-context.ts';
import { startLoadClient, stopAll, type LoadClient } from '../bench-processes.ts';
import { closedLoopRound, compare, openLoopRound, type Comparison, type SideRound } from '../gateway-figures.ts';
import { scoreRequest, startGatewayStack, startScoreServer, type GatewayStack } from '../gateway-stack.ts';
import { runPairedRounds, type Window } from '../interleaved-rounds.ts';
import type { ServerProcess } from '../server-process.ts';

/** Latency of both mock sources (no jitter): the 20 ms upstreams. */
export const UPSTREAM_LATENCY_MS = 20;

export type GatewayMeasurements = {
  rounds: number;
  warmupMs: number;
  windowMs: number;
  upstreamLatencyMs: number;
  /** Open loop: the client keeps at most this many requests in flight. */
  maxInFlight: number;
  /** The same constant arrival rate offered to both servers. */
  openLoop: (Comparison & { ratePerSecond: number })[];
  /** `connections` clients each sending its next request when its last is answered. */
  closedLoop: Comparison & { connections: number };
};

/**
 * The gateway against its floor (a bare node:http + undici server making the same three calls), both calling the
 * same mock sources and scorer, started once for the run: CPU per request and latency at constant arrival rates,
 * then p99 with many closed-loop clients. Each load point runs the two servers back to back in every round.
 */
export async function measureGateway(context: BenchRunContext): Promise<GatewayMeasurements> {
  const settings = context.profile.gateway;
  const cpus = context.layout;
  const stack = await startGatewayStack({ upstreamLatencyMs: UPSTREAM_LATENCY_MS, cpus: cpus.serving });
  const running: ServerProcess[] = [];
  const client = startLoadClient(cpus.client);
  try {
    for (const kind of ['gateway', 'floor'] as const) {
      running.push(await startScoreServer(kind, stack, { cpus: cpus.serving }));
    }
    const servers = { gateway: running[0]!, floor: running[1]! };
    const measure = gatewayWindows(stack, client, settings);
    const pairs = [
      ...settings.ratesPerSecond.map((rate) => pair((kind) => measure.open(kind, servers[kind], rate))),
      pair((kind) => measure.closed(kind, servers[kind])),
    ];
    const results = await runPairedRounds(settings.rounds, pairs, (key, round) =>
      context.progress(`gateway round ${round + 1}/${settings.rounds}: ${key}`),
    );
    const comparison = (key: string) => compare(results.get(`gateway ${key}`)!, results.get(`floor ${key}`)!);
    return {
      rounds: settings.rounds,
      warmupMs: settings.warmupMs,
      windowMs: settings.windowMs,
      upstreamLatencyMs: UPSTREAM_LATENCY_MS,
      maxInFlight: settings.maxInFlight,
      openLoop: settings.ratesPerSecond.map((rate) => ({ ratePerSecond: rate, ...comparison(openKey(rate)) })),
      closedLoop: { connections: settings.connections, ...comparison(closedKey(settings.connections)) },
    };
  } finally {
    await stopAll([client, ...running]);
    await stack.stop();
  }
}

export type MeasuredWindow = { key: string; run: () => Promise<SideRound> };

export const openKey = (rate: number) => `open ${rate}/s`;
export const closedKey = (connections: number) => `closed ${connections} connections`;

function pair(window: (kind: 'gateway' | 'floor') => MeasuredWindow): [Window<SideRound>, Window<SideRound>] {
  return [window('gateway'), window('floor')];
}

/**
 * Windows of one server at a load point, keyed `<label> <load point>`: an open loop at a constant rate, or the
 * closed loop of `settings.connections` clients; each counts the mocks' calls around its job.
 */
export function gatewayWindows(
  stack: GatewayStack,
  client: LoadClient,
  settings: Pick<BenchRunContext['profile']['gateway'], 'warmupMs' | 'windowMs' | 'maxInFlight' | 'connections'>,
) {
  const { warmupMs, windowMs } = settings;
  const counted = async <R>(job: () => Promise<R>) => {
    const before = await stack.upstreamCalls();
    const result = await job();
    return { result, upstreamCalls: (await stack.upstreamCalls()) - before };
  };
  return {
    open: (label: string, server: ServerProcess, ratePerSecond: number): MeasuredWindow => ({
      key: `${label} ${openKey(ratePerSecond)}`,
      run: async () => {
        const { result, upstreamCalls } = await counted(() =>
          client.open({
            origin: server.origin,
            request: scoreRequest(),
            ratePerSecond,
            warmupMs,
            windowMs,
            maxInFlight: settings.maxInFlight,
            cpuPid: server.pid,
            stackPids: stack.pids,
          }),
        );
        return openLoopRound(result, windowMs, upstreamCalls);
      },
    }),
    closed: (label: string, server: ServerProcess): MeasuredWindow => ({
      key: `${label} ${closedKey(settings.connections)}`,
      run: async () => {
        const { result, upstreamCalls } = await counted(() =>
          client.concurrent({
            origin: server.origin,
            request: scoreRequest(),
            rowsPerRequest: 1,
            connections: settings.connections,
            warmupMs,
            windowMs,
            cpuPid: server.pid,
            stackPids: stack.pids,
          }),
        );
        return closedLoopRound(result, windowMs, upstreamCalls);
      },
    }),
  };
}

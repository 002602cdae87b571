import { formatMs, formatRatio, formatUs } from './figure-format.ts';
import type { TargetCheck } from './scorer-targets.ts';
import type { GatewayMeasurements } from './suites/gateway.ts';

/** The limits: gateway CPU per request over the floor's, and p99 over the floor's with many clients. */
export const CPU_RATIO_LIMIT = 1.25;
export const P99_ALLOWANCE_MS = 2;

/**
 * Holds the gateway's figures against the targets: at every offered rate, CPU per `/v1/score` at most
 * 1.25 × the floor's; with the closed-loop clients, p99 at most the floor's + 2 ms. Both compare the two servers
 * round by round (median of the per-round ratio or difference). With `check` false (quick mode) every target is
 * listed with its figure but `holds` stays undefined.
 */
export function checkGatewayTargets(results: GatewayMeasurements, check: boolean): TargetCheck[] {
  const checks: TargetCheck[] = [];
  const add = (target: string, measured: string, holds: boolean | undefined) =>
    checks.push({ target, measured, holds: check ? holds : undefined });

  for (const point of results.openLoop) {
    const { gateway, floor } = point;
    const behind = gateway.dropped + floor.dropped > 0 ? '; the client dropped requests: a server fell behind' : '';
    add(
      `CPU per /v1/score at ${point.ratePerSecond} req/s ≤ ${CPU_RATIO_LIMIT} × floor`,
      `${formatRatio(point.cpuRatio)} (gateway ${formatUs(gateway.cpuPerRequestUs.totalUs)}, ` +
        `floor ${formatUs(floor.cpuPerRequestUs.totalUs)})${behind}`,
      atMost(point.cpuRatio, CPU_RATIO_LIMIT),
    );
  }
  const closed = results.closedLoop;
  add(
    `p99 with ${closed.connections} connections and ${results.upstreamLatencyMs} ms upstreams ≤ floor p99 + ` +
      `${P99_ALLOWANCE_MS} ms`,
    `${signedMs(closed.p99DifferenceMs)} (gateway ${formatMs(closed.gateway.p99Ms)}, floor ` +
      `${formatMs(closed.floor.p99Ms)})`,
    atMost(closed.p99DifferenceMs, P99_ALLOWANCE_MS),
  );
  return checks;
}

/** A difference in milliseconds with its sign, e.g. `+1.20 ms`. */
export function signedMs(value: number): string {
  return Number.isFinite(value) && value >= 0 ? `+${formatMs(value)}` : formatMs(value);
}

/** `value ≤ limit`, or undefined when either is not a number (a failed measurement proves nothing). */
function atMost(value: number, limit: number): boolean | undefined {
  return Number.isFinite(value) && Number.isFinite(limit) ? value <= limit : undefined;
}

import { summarizeLoad, type LoadFigures } from './figures.ts';
import type { LoadResult, Outcome } from './open-loop.ts';
import { check, machineStalled, timingCheck, type Check, type ScenarioFigures } from './results.ts';

/** How much later than its deadline an answer may arrive. */
export const GRACE_MS = 50;

/**
 * The deadline checks every load scenario makes: every request answered; none later than its deadline + 50 ms on
 * the server (from its latency histogram, `serverLate` answers above the bucket at deadline + 50 ms) and at the
 * client. The client's own event-loop stalls (a shared, busy machine) are allowed on top at the client, and
 * reported. At the server a late answer is excused only when the whole machine froze: the client's and the
 * server's event loops both stalled at least `MACHINE_STALL_MS`, and then for at most 2% of the requests. The
 * histogram cannot say by how much such an answer was late; the client-side check still bounds it.
 */
export function deadlineChecks(
  figures: LoadFigures,
  deadlineMs: number,
  result: LoadResult,
  server?: { count: number; above: number },
): Check[] {
  const lateness = figures.maxLatenessMs ?? Number.NaN;
  const { clientStallMs } = result;
  const context = [
    ...(result.serverStallMs === undefined ? [] : [`server stall ${result.serverStallMs} ms`]),
    ...(result.cpuPressurePct === undefined ? [] : [`CPU-starved ${result.cpuPressurePct}% of the time`]),
  ].join(', ');
  return [
    check(
      'every request answered',
      figures.unanswered === 0,
      `${figures.unanswered} of ${figures.requests} unanswered`,
    ),
    ...(server === undefined
      ? []
      : [
          timingCheck(
            `server: none later than deadline + ${GRACE_MS} ms`,
            server.above === 0 || (serverStallSeen(result) && server.above <= Math.ceil(server.count * 0.02)),
            `${server.above} of ${server.count} above ${deadlineMs + GRACE_MS} ms${context && `; ${context}`}` +
              (server.above > 0 && serverStallSeen(result) ? '; the machine stalled (client and server alike)' : ''),
          ),
        ]),
    timingCheck(
      `client: none later than deadline + ${GRACE_MS} ms`,
      figures.requests > 0 && lateness <= GRACE_MS + clientStallMs,
      `worst ${lateness} ms past the deadline; client stall ${clientStallMs} ms`,
    ),
  ];
}

/** The server's stall measured and, with the client's, a stall of the machine. */
const serverStallSeen = (result: LoadResult) => result.serverStallMs !== undefined && machineStalled(result);

/** Only these statuses (anything else, a 500 above all, fails). */
export function statusesWithin(figures: LoadFigures, allowed: readonly (number | string)[]): Check {
  const others = Object.keys(figures.statuses).filter((status) => !allowed.map(String).includes(status));
  return check(
    `only ${allowed.join('/')}`,
    others.length === 0,
    Object.entries(figures.statuses)
      .map(([status, count]) => `${status}×${count}`)
      .join(' '),
  );
}

/** The figures of a load, as a scenario reports them. */
export function loadScenarioFigures(
  result: LoadResult,
  figures: LoadFigures,
  deadlineMs: number | undefined,
  extra: ScenarioFigures = {},
): ScenarioFigures {
  return {
    requests: figures.requests,
    statuses: { ...figures.statuses },
    latencyMs: figures.latencyMs,
    ...(deadlineMs !== undefined && { deadlineMs, maxLatenessMs: figures.maxLatenessMs ?? Number.NaN }),
    unanswered: figures.unanswered,
    ...extra,
    extra: {
      clientStallMs: result.clientStallMs,
      ...(result.serverStallMs !== undefined && { serverStallMs: result.serverStallMs }),
      ...(result.cpuPressurePct !== undefined && { cpuPressurePct: result.cpuPressurePct }),
      ...codesOf(figures),
      ...extra.extra,
    },
  };
}

function codesOf(figures: LoadFigures): Record<string, number> {
  return Object.fromEntries(Object.entries(figures.codes).map(([code, count]) => [`code ${code}`, count]));
}

/**
 * When service came back after `recoveredAt` (the moment the dependency was healthy again): the first request sent
 * after it that got a complete answer (`good`), and whether every request sent from `settleMs` after that one on
 * was good too.
 */
export function recovery(
  outcomes: readonly Outcome[],
  recoveredAt: number,
  good: (outcome: Outcome) => boolean,
  settleMs = 500,
): { afterMs: number | undefined; steady: boolean; badAfter: number } {
  const later = outcomes.filter((o) => o.sentAt >= recoveredAt);
  const first = later.find(good);
  if (first === undefined) return { afterMs: undefined, steady: false, badAfter: later.length };
  const bad = later.filter((o) => o.sentAt >= first.sentAt + settleMs && !good(o)).length;
  return { afterMs: Math.round(first.sentAt + first.latencyMs - recoveredAt), steady: bad === 0, badAfter: bad };
}

/** Summarises the outcomes of requests sent in `[from, to)`. */
export function figuresBetween(outcomes: readonly Outcome[], from: number, to: number, deadlineMs?: number) {
  return summarizeLoad(
    outcomes.filter((o) => o.sentAt >= from && o.sentAt < to),
    deadlineMs,
    GRACE_MS,
  );
}

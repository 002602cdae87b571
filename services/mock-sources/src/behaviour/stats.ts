import { OUTCOMES, type Outcome } from './outcome.ts';

/** `GET /_admin/stats`: data requests only; health and admin requests are not counted. */
export type StatsSnapshot = {
  /** Data requests received since start or the last reset. */
  requests: number;
  /** Data requests whose connection has not yet finished or closed (never reset: it is a gauge). */
  inFlight: number;
  byOutcome: Record<Outcome, number>;
};

/** Counters of data requests, so tests can count upstream attempts. */
export type Stats = {
  /** A data request arrived; call the returned function once when its response is over. */
  started(): () => void;
  record(outcome: Outcome): void;
  snapshot(): StatsSnapshot;
  /** Zeroes the counters; requests in flight stay counted in `inFlight`. */
  reset(): void;
};

/** Creates zeroed counters. */
export function createStats(): Stats {
  let requests = 0;
  let inFlight = 0;
  let byOutcome = zeroes();

  function started(): () => void {
    requests++;
    inFlight++;
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      inFlight--;
    };
  }

  return {
    started,
    record(outcome) {
      byOutcome[outcome]++;
    },
    snapshot: () => ({ requests, inFlight, byOutcome: { ...byOutcome } }),
    reset() {
      requests = 0;
      byOutcome = zeroes();
    },
  };
}

function zeroes(): Record<Outcome, number> {
  return Object.fromEntries(OUTCOMES.map((outcome) => [outcome, 0])) as Record<Outcome, number>;
}

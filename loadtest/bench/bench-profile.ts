/** A bound on a measuring loop: it stops at whichever limit it reaches first. */
export type Bound = { requests: number; ms: number };

/** How long and how often each measurement runs. */
export type BenchProfile = {
  name: 'full' | 'quick';
  /** Whether figures are held to the targets (not in quick mode: a one-second window proves nothing). */
  checkTargets: boolean;
  coldStart: { spawns: number; settleMs: number };
  sequential: { rounds: number; warmup: Bound; window: Bound };
  concurrent: { rounds: number; warmupMs: number; windowMs: number; connections: readonly number[] };
  raw: { warmup: Bound; window: Bound; batchSizes: readonly number[] };
  liveness: {
    rounds: number;
    idleMs: number;
    warmupMs: number;
    windowMs: number;
    connections: number;
    intervalMs: number;
  };
  /** Try other scorer settings beside the defaults (see scorer-variants.ts). */
  settingsVariants: boolean;
  /** The gateway against its floor: open-loop rates and the closed-loop client count. */
  gateway: {
    rounds: number;
    warmupMs: number;
    windowMs: number;
    ratesPerSecond: readonly number[];
    connections: number;
    /** Requests the open-loop client keeps in flight at most. */
    maxInFlight: number;
  };
  /** The monolith against the split stack: open-loop rates at each upstream latency (mocks' latency ± jitter). */
  comparison: {
    rounds: number;
    warmupMs: number;
    windowMs: number;
    ratesPerSecond: readonly number[];
    upstreams: readonly { latencyMs: number; jitterMs: number }[];
    maxInFlight: number;
  };
};

// The seed's upstream latencies, with a ±10 % spread so that answers do not arrive in lockstep.
const SEED_UPSTREAMS = [
  { latencyMs: 20, jitterMs: 2 },
  { latencyMs: 70, jitterMs: 7 },
] as const;

const FULL: BenchProfile = {
  name: 'full',
  checkTargets: true,
  coldStart: { spawns: 3, settleMs: 300 },
  sequential: { rounds: 5, warmup: { requests: 300, ms: 400 }, window: { requests: 20_000, ms: 1_500 } },
  concurrent: { rounds: 3, warmupMs: 500, windowMs: 1_500, connections: [16, 64] },
  raw: { warmup: { requests: 100, ms: 300 }, window: { requests: 50_000, ms: 1_000 }, batchSizes: [16, 32] },
  liveness: { rounds: 3, idleMs: 500, warmupMs: 1_000, windowMs: 2_000, connections: 64, intervalMs: 5 },
  settingsVariants: true,
  // On the 2-core reference machine the gateway saturates a little above 300 req/s (with the mocks and the scorer
  // on the same CPUs), so the rates go up to where it starts to fall behind.
  gateway: {
    // At 100 req/s a 3 s window held 300 requests, and its ratio swung 1.10-1.31x between runs of the same code.
    rounds: 7,
    warmupMs: 1_000,
    windowMs: 5_000,
    ratesPerSecond: [100, 200, 300],
    connections: 64,
    maxInFlight: 512,
  },
  comparison: {
    rounds: 3,
    warmupMs: 1_000,
    windowMs: 3_000,
    // Past the monolith's knee (≈200/s on one CPU of the reference machine) and the split stack's (≈300-400/s).
    ratesPerSecond: [50, 100, 150, 200, 250, 300, 400, 500],
    upstreams: SEED_UPSTREAMS,
    maxInFlight: 512,
  },
};

// Each window about a second, one round, defaults only: exercises every path in well under a minute.
const QUICK: BenchProfile = {
  name: 'quick',
  checkTargets: false,
  coldStart: { spawns: 1, settleMs: 300 },
  sequential: { rounds: 1, warmup: { requests: 100, ms: 200 }, window: { requests: 20_000, ms: 1_000 } },
  concurrent: { rounds: 1, warmupMs: 300, windowMs: 1_000, connections: [16, 64] },
  raw: { warmup: { requests: 20, ms: 100 }, window: { requests: 50_000, ms: 1_000 }, batchSizes: [16, 32] },
  liveness: { rounds: 1, idleMs: 500, warmupMs: 500, windowMs: 1_000, connections: 64, intervalMs: 5 },
  settingsVariants: false,
  gateway: { rounds: 1, warmupMs: 500, windowMs: 1_000, ratesPerSecond: [100], connections: 64, maxInFlight: 512 },
  comparison: {
    rounds: 1,
    warmupMs: 300,
    windowMs: 700,
    ratesPerSecond: [100],
    upstreams: SEED_UPSTREAMS,
    maxInFlight: 512,
  },
};

/** The profile for `--quick` / `BENCH_QUICK=1`, or the full one. */
export function benchProfile(quick: boolean): BenchProfile {
  return quick ? QUICK : FULL;
}

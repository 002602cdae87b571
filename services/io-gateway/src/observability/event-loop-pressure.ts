import { createHistogram } from 'node:perf_hooks';

/** A busy gateway sends a probe through its loop at most this often. */
const PROBE_INTERVAL_MS = 50;
/** How long one verdict holds: the lag is judged over the probes of the last such window. */
const WINDOW_MS = 500;
/** Fewer probes than this in a window say nothing either way (the loop was stalled by a single long task). */
const MIN_SAMPLES = 5;

/** Lag samples, in nanoseconds (what `perf_hooks.createHistogram()` keeps). */
export type DelaySamples = {
  readonly count: number;
  record(ns: number): void;
  percentile(p: number): number;
  reset(): void;
};

/**
 * Whether the event loop is saturated: the 90th percentile of its lag over the last half second above `limitMs`.
 * When it is, every request waits behind the others before its first line runs, so taking more only makes all of
 * them late; a fast 503 with `Retry-After` sends the excess elsewhere (another instance, a retry later) instead. The
 * percentile, not the maximum, so that one long pause of the whole machine does not turn traffic away.
 *
 * Measured by the requests themselves, not by a sampling timer: {@link probe} (called for every request) sends a
 * probe through the loop when none is out and none went in the last 50 ms, and its lag is how long the loop stayed
 * busy before it came back to it. An idle gateway does no work at all (a 20 Hz timer cost 1.5 ms of CPU a second
 * here), and a busy one samples about as often as such a timer would. The verdict is renewed lazily, at most once a
 * window, when read.
 */
export class EventLoopPressure {
  readonly #limitMs: number;
  readonly #samples: DelaySamples;
  readonly #now: () => number;
  readonly #defer: (probe: () => void) => void;
  #windowStart: number;
  #lastProbe = -Infinity;
  #probing = false;
  #saturated = false;

  constructor(
    limitMs: number,
    options: { samples?: DelaySamples; now?: () => number; defer?: (probe: () => void) => void } = {},
  ) {
    this.#limitMs = limitMs;
    this.#samples = options.samples ?? createHistogram();
    this.#now = options.now ?? (() => performance.now());
    // setImmediate runs once the loop has finished what it was doing when the probe was sent.
    this.#defer = options.defer ?? ((probe) => setImmediate(probe));
    this.#windowStart = this.#now();
  }

  /** Sends a probe through the loop, unless one is out or went less than 50 ms ago. */
  probe(): void {
    if (this.#probing) return;
    const sentAt = this.#now();
    if (sentAt - this.#lastProbe < PROBE_INTERVAL_MS) return;
    this.#probing = true;
    this.#lastProbe = sentAt;
    this.#defer(() => {
      this.#probing = false;
      this.#samples.record(Math.max(1, Math.round((this.#now() - sentAt) * 1e6)));
    });
  }

  /** Whether new work should be turned away now. */
  get saturated(): boolean {
    const now = this.#now();
    if (now - this.#windowStart >= WINDOW_MS) {
      const samples = this.#samples;
      this.#saturated = samples.count >= MIN_SAMPLES && samples.percentile(90) / 1e6 > this.#limitMs;
      samples.reset();
      this.#windowStart = now;
    }
    return this.#saturated;
  }
}

export const EVENT_LOOP_PRESSURE = { probeIntervalMs: PROBE_INTERVAL_MS, windowMs: WINDOW_MS, minSamples: MIN_SAMPLES };

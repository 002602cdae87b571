import { monitorEventLoopDelay } from 'node:perf_hooks';

/** How often the loop is sampled: each sample is one timer's interval, so a healthy one reads about this. */
const RESOLUTION_MS = 50;
/** How long one verdict holds: the lag is judged over the samples of the last such window. */
const WINDOW_MS = 500;
/** Fewer samples than this in a window says nothing either way (the loop was stalled by a single long task). */
const MIN_SAMPLES = 5;

/** The delays a monitor saw, in nanoseconds (what `monitorEventLoopDelay` gives). */
export type DelaySamples = { readonly count: number; percentile(p: number): number; reset(): void };

/**
 * Whether the event loop is saturated: the 90th percentile of its lag over the last half second above `limitMs`.
 * When it is, every request waits behind the others before its first line runs, so taking more only makes all of
 * them late; a fast 503 with `Retry-After` sends the excess elsewhere (another instance, a retry later) instead. The
 * percentile, not the maximum, so that one long pause of the whole machine does not turn traffic away. Judged
 * lazily, at most once a window, by the requests themselves: nothing runs between them but the sampling timer.
 */
export class EventLoopPressure {
  readonly #limitMs: number;
  readonly #samples: DelaySamples;
  readonly #now: () => number;
  readonly #stop: () => void;
  #windowStart: number;
  #saturated = false;

  constructor(limitMs: number, options: { samples?: DelaySamples; now?: () => number } = {}) {
    this.#limitMs = limitMs;
    this.#now = options.now ?? (() => performance.now());
    if (options.samples === undefined) {
      const monitor = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
      monitor.enable();
      this.#samples = monitor;
      this.#stop = () => monitor.disable();
    } else {
      this.#samples = options.samples;
      this.#stop = () => undefined;
    }
    this.#windowStart = this.#now();
  }

  /** Whether new work should be turned away now. */
  get saturated(): boolean {
    const now = this.#now();
    if (now - this.#windowStart >= WINDOW_MS) {
      const samples = this.#samples;
      this.#saturated = samples.count >= MIN_SAMPLES && samples.percentile(90) / 1e6 - RESOLUTION_MS > this.#limitMs;
      samples.reset();
      this.#windowStart = now;
    }
    return this.#saturated;
  }

  close(): void {
    this.#stop();
  }
}

export const EVENT_LOOP_PRESSURE = { resolutionMs: RESOLUTION_MS, windowMs: WINDOW_MS, minSamples: MIN_SAMPLES };

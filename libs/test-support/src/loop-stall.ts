import { monitorEventLoopDelay } from 'node:perf_hooks';

const RESOLUTION_MS = 5;

/**
 * Starts watching this process's event loop. `stop()` ends the watch and gives the longest stall seen, in whole
 * milliseconds past the sampling interval: the time by which this process itself (a busy or frozen machine) may have
 * read a clock late, to be allowed on top of a bound measured here.
 */
export function watchLoopStalls(): { stop(): number } {
  const delay = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  delay.enable();
  return {
    stop() {
      delay.disable();
      return Math.round(Math.max(0, delay.max / 1e6 - RESOLUTION_MS));
    },
  };
}

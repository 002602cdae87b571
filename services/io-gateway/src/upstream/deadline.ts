/**
 * One request's deadline: an absolute time on the `performance.now()` clock and a signal that aborts at it. Every
 * outbound call of the request takes this signal and sends `remainingMs()` downstream.
 */
export type Deadline = {
  readonly at: number;
  readonly signal: AbortSignal;
  remainingMs(): number;
};

/** Node's longest timer; a longer delay fires after 1 ms. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** A deadline `ms` from now. */
export function deadlineIn(ms: number): Deadline {
  const at = performance.now() + ms;
  return {
    at,
    // AbortSignal.timeout takes whole milliseconds (a fraction throws): round up so that it never fires before `at`.
    signal: AbortSignal.timeout(Math.min(MAX_TIMER_MS, Math.max(0, Math.ceil(ms)))),
    remainingMs: () => Math.max(0, at - performance.now()),
  };
}

/**
 * One request's deadline: an absolute time on the `performance.now()` clock and a signal that aborts at it. Every
 * outbound call of the request takes this signal and sends `remainingMs()` downstream.
 */
export type Deadline = {
  readonly at: number;
  readonly signal: AbortSignal;
  remainingMs(): number;
};

/** A deadline `ms` from now. */
export function deadlineIn(ms: number): Deadline {
  const at = performance.now() + ms;
  return {
    at,
    signal: AbortSignal.timeout(Math.max(0, ms)),
    remainingMs: () => Math.max(0, at - performance.now()),
  };
}

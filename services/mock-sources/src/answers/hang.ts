/** Resolves when the client gives up on the request (its connection closes); holds no timer and no reference. */
export function untilClientLeaves(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
}

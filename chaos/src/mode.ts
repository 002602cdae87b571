/**
 * `short` runs inside `pnpm test` (every scenario, brief loads, no soak); `full` is `pnpm test:chaos` (longer loads,
 * every fault on every dependency, the 10-minute soak). Chosen by `CHAOS_MODE`; the only place that reads it.
 */
export type ChaosMode = 'short' | 'full';

export const CHAOS_MODES = ['short', 'full'] as const;

export function chaosMode(): ChaosMode {
  const value = process.env['CHAOS_MODE'] ?? 'short';
  if (value !== 'short' && value !== 'full') throw new Error(`CHAOS_MODE must be short or full, got '${value}'`);
  return value;
}

/** The value for the current mode. */
export function byMode<T>(short: T, full: T): T {
  return chaosMode() === 'full' ? full : short;
}

/** One measurement repeated once per round. */
export type Window<Result> = { key: string; run: () => Promise<Result> };

/**
 * Runs every window once per round, each round starting one window further along the list, so slow drifts of a
 * shared machine (another job starting, thermal limits) spread over all windows instead of biasing the ones that
 * run first or last. Resolves with each window's results in round order.
 */
export async function runInterleaved<Result>(
  rounds: number,
  windows: readonly Window<Result>[],
  onWindow?: (key: string, round: number) => void,
): Promise<Map<string, Result[]>> {
  const results = new Map<string, Result[]>(windows.map((window) => [window.key, []]));
  for (let round = 0; round < rounds; round++) {
    for (let i = 0; i < windows.length; i++) {
      const window = windows[(i + round) % windows.length]!;
      onWindow?.(window.key, round);
      results.get(window.key)!.push(await window.run());
    }
  }
  return results;
}

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

/**
 * Runs pairs of windows meant to be compared (a server and its baseline) once per round: the pairs in an order
 * that starts one pair further along each round, and within a pair first-then-second in even rounds and
 * second-then-first in odd ones. The two sides of a comparison always run back to back, so a drift of a shared
 * machine hits both, and neither side always runs first. Resolves with each window's results in round order.
 */
export async function runPairedRounds<Result>(
  rounds: number,
  pairs: readonly (readonly [Window<Result>, Window<Result>])[],
  onWindow?: (key: string, round: number) => void,
): Promise<Map<string, Result[]>> {
  const results = new Map<string, Result[]>(pairs.flat().map((window) => [window.key, []]));
  for (let round = 0; round < rounds; round++) {
    for (let i = 0; i < pairs.length; i++) {
      const [first, second] = pairs[(i + round) % pairs.length]!;
      for (const window of round % 2 === 0 ? [first, second] : [second, first]) {
        onWindow?.(window.key, round);
        results.get(window.key)!.push(await window.run());
      }
    }
  }
  return results;
}

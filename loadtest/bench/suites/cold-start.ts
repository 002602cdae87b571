import { setTimeout as sleep } from 'node:timers/promises';
import type { BenchContext } from '../bench-context.ts';
import { runInterleaved, type Window } from '../interleaved-rounds.ts';
import { median } from '../percentiles.ts';
import { readRssBytes } from '../proc-stats.ts';
import { startScorer } from '../scorer-process.ts';

const MIB = 2 ** 20;

export type ColdStartResults = {
  spawns: number;
  settleMs: number;
  instances: number;
  repositories: {
    models: string[];
    /** Harness clock, spawn to the `ready` log line. */
    spawnToReadyMs: number;
    /** The scorer's own `startupMs` (process start to ready). */
    startupMs: number;
    /** RSS `settleMs` after ready. */
    rssMiB: number;
  }[];
  /** What the scorer does with an empty repository. */
  emptyRepository: string;
  /** RSS of a scorer holding no model, derived from the repositories above (see {@link measureColdStart}). */
  baseRssMiB: number;
  perModel: { model: string; rssMiB: number }[];
};

type Spawn = { spawnToReadyMs: number; startupMs: number; rssBytes: number };

/**
 * Spawn-to-ready time and RSS of the scorer with each demo model alone and with the whole demo repository,
 * interleaved over rounds. The scorer will not start without a model, so the RSS of "no model" is derived:
 * with n models served alone and together, RSS(alone_i) = base + m_i and RSS(all) = base + Σ m_i, hence
 * base = (Σ RSS(alone_i) − RSS(all)) / (n − 1) and m_i = RSS(alone_i) − base.
 */
export async function measureColdStart(context: BenchContext): Promise<ColdStartResults> {
  const { profile, fixtures, machine } = context;
  const { spawns, settleMs } = profile.coldStart;
  const settings = { instances: machine.cores };
  const repositories = [
    ...fixtures.aloneRepositories.map(({ model, dir }) => ({ models: [model], dir })),
    { models: fixtures.demoRepository.models, dir: fixtures.demoRepository.dir },
  ];
  const windows: Window<Spawn>[] = repositories.map(({ models, dir }) => ({
    key: models.join(' + '),
    run: async () => {
      const scorer = await startScorer({ modelRepository: dir, settings, cpus: context.layout.serving });
      try {
        await sleep(settleMs);
        const startupMs = Number(scorer.readyLine['startupMs']);
        return { spawnToReadyMs: scorer.spawnToReadyMs, startupMs, rssBytes: readRssBytes(scorer.pid) };
      } finally {
        await scorer.stop();
      }
    },
  }));
  const results = await runInterleaved(spawns, windows, (key, round) =>
    context.progress(`cold start ${round + 1}/${spawns}: ${key}`),
  );
  const measured = repositories.map(({ models }) => {
    const rounds = results.get(models.join(' + '))!;
    return {
      models,
      spawnToReadyMs: median(rounds.map((round) => round.spawnToReadyMs)),
      startupMs: median(rounds.map((round) => round.startupMs)),
      rssMiB: median(rounds.map((round) => round.rssBytes)) / MIB,
    };
  });
  const alone = measured.slice(0, -1);
  const all = measured.at(-1)!;
  // Needs two models at least; with fewer the system has no solution and the figures stay NaN.
  const baseRssMiB =
    alone.length < 2
      ? Number.NaN
      : (alone.reduce((sum, entry) => sum + entry.rssMiB, 0) - all.rssMiB) / (alone.length - 1);
  return {
    spawns,
    settleMs,
    instances: settings.instances,
    repositories: measured,
    emptyRepository: await tryEmptyRepository(fixtures.emptyRepository),
    baseRssMiB,
    perModel: alone.map((entry) => ({ model: entry.models[0]!, rssMiB: entry.rssMiB - baseRssMiB })),
  };
}

async function tryEmptyRepository(modelRepository: string): Promise<string> {
  try {
    const scorer = await startScorer({ modelRepository, cpus: undefined, timeoutMs: 10_000 });
    await scorer.stop();
    return 'starts';
  } catch (error) {
    const message = (error as Error).message;
    const reason = /^\w*Error: (.*holds no model.*)$/m.exec(message)?.[1] ?? message.split('\n', 1)[0]!;
    return `refused: ${reason.replaceAll(modelRepository, '<empty dir>')}`;
  }
}

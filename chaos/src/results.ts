import assert from 'node:assert/strict';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { format, resolveConfig } from 'prettier';
import type { LatencyFigures } from './figures.ts';
import { describeMachine, loadAverage, type Machine } from './machine.ts';
import { chaosMode, type ChaosMode } from './mode.ts';

/** Where each mode's figures go: a full run's are committed (RELIABILITY.md is made from them), a short run's are not. */
const RESULTS_DIRS: Record<ChaosMode, string> = {
  full: fileURLToPath(new URL('../results/', import.meta.url)),
  short: fileURLToPath(new URL('../.tmp/results/', import.meta.url)),
};

/** One assertion of a scenario, with the figure it was decided on. */
export type Check = { name: string; pass: boolean; detail: string };

/** The figures a scenario reports; each scenario fills in those that apply. */
export type ScenarioFigures = {
  requests?: number;
  statuses?: Record<string, number>;
  latencyMs?: LatencyFigures;
  deadlineMs?: number;
  maxLatenessMs?: number;
  unanswered?: number;
  attemptsPerRequest?: number;
  shed?: number;
  rssMiB?: { start: number; end: number };
  handles?: { start: number; end: number };
  /** Anything else worth printing, by name. */
  extra?: Record<string, number | string>;
};

export type ScenarioRecord = {
  id: string;
  group: string;
  title: string;
  verdict: 'pass' | 'fail';
  figures: ScenarioFigures;
  checks: Check[];
  recordedAt: string;
  /** The machine's one-minute load average when the scenario ended (other work on the machine included). */
  loadAverage: number;
};

export type ResultsFile = {
  mode: ChaosMode;
  machine: Machine;
  scenarios: Record<string, ScenarioRecord>;
};

export const resultsPath = (mode: ChaosMode) => `${RESULTS_DIRS[mode]}${mode}.json`;

export function check(name: string, pass: boolean, detail: string): Check {
  return { name, pass, detail };
}

let writes: Promise<void> = Promise.resolve();

/** Merges one scenario into `results/<mode>.json` (replacing an earlier record of the same id). */
export function recordScenario(record: Omit<ScenarioRecord, 'verdict' | 'recordedAt' | 'loadAverage'>): Promise<void> {
  const mode = chaosMode();
  const complete: ScenarioRecord = {
    ...record,
    verdict: record.checks.every((c) => c.pass) ? 'pass' : 'fail',
    recordedAt: new Date().toISOString(),
    loadAverage: loadAverage(),
  };
  writes = writes.then(async () => {
    const file = (await readResults(mode)) ?? { mode, machine: describeMachine(), scenarios: {} };
    file.machine = describeMachine();
    file.scenarios[record.id] = complete;
    await writeJson(resultsPath(mode), file);
  });
  return writes;
}

/** Records the scenario, then fails the test with every check that did not pass. */
export async function verify(
  scenario: { id: string; group: string; title: string; figures: ScenarioFigures },
  checks: Check[],
): Promise<void> {
  await recordScenario({ ...scenario, checks });
  const failed = checks.filter((c) => !c.pass);
  assert.equal(
    failed.length,
    0,
    `${scenario.id}: ${failed.map((c) => `${c.name} (${c.detail})`).join('; ')}\n${JSON.stringify(scenario.figures)}`,
  );
}

export async function readResults(mode: ChaosMode): Promise<ResultsFile | undefined> {
  try {
    return JSON.parse(await readFile(resultsPath(mode), 'utf8')) as ResultsFile;
  } catch (error) {
    if ((error as { code?: string }).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** Writes JSON formatted as the repository's Prettier settings want it, so `prettier --check` stays clean. */
export async function writeJson(path: string, value: unknown): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const options = (await resolveConfig(path)) ?? {};
  await writeFile(path, await format(JSON.stringify(value), { ...options, parser: 'json' }));
}

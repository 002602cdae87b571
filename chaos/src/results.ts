import assert from 'node:assert/strict';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
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

/** One assertion of a scenario, with the figure it was decided on; `timing` when a machine freeze can fail it. */
export type Check = { name: string; pass: boolean; detail: string; timing?: true };

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

/** A check on how late something was: the kind a freeze of the whole (shared) machine can fail. */
export function timingCheck(name: string, pass: boolean, detail: string): Check {
  return { name, pass, detail, timing: true };
}

/** A stall both the client and the server saw: the machine, not either process, stopped. */
const MACHINE_STALL_MS = 20;

/**
 * Whether the machine itself stalled during a load: the client's event loop stalled at least `MACHINE_STALL_MS`,
 * and so did the server's where it was measured. One process stalling alone is that process's doing.
 */
export function machineStalled(stalls: { clientStallMs?: number; serverStallMs?: number }): boolean {
  return Math.min(stalls.clientStallMs ?? 0, stalls.serverStallMs ?? Infinity) >= MACHINE_STALL_MS;
}

/** One run of a scenario under `retryOnMachineStall`. */
export type Attempt = { number: number; last: boolean; stalls: string[] };

class MachineStalled extends Error {}

/**
 * Runs a timed scenario up to `attempts` times. It runs again only when every check it failed was a timing check
 * and the machine stalled meanwhile (`machineStalled`): on a shared machine a freeze of both processes is not the
 * system under test. Any other failure fails at once, a timing failure on the last attempt too, and the record of
 * the attempt that counts names every stall that was retried.
 */
export async function retryOnMachineStall(
  body: (attempt: Attempt) => Promise<void> | void,
  { attempts = 3, pauseMs = 1_000 } = {},
): Promise<void> {
  const stalls: string[] = [];
  for (let number = 1; ; number++) {
    try {
      await body({ number, last: number >= attempts, stalls });
      return;
    } catch (error) {
      if (!(error instanceof MachineStalled)) throw error;
      await sleep(pauseMs);
    }
  }
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

/**
 * Records the scenario, then fails the test with every check that did not pass. Under `retryOnMachineStall`, a
 * failure of timing checks alone while the machine stalled asks for another attempt instead.
 */
export async function verify(
  scenario: { id: string; group: string; title: string; figures: ScenarioFigures },
  checks: Check[],
  attempt?: Attempt,
): Promise<void> {
  if (attempt !== undefined) retryIfMachineStalled(checks, scenario.figures, attempt);
  const extra = { ...scenario.figures.extra };
  if (attempt !== undefined && attempt.stalls.length > 0) extra['retried'] = attempt.stalls.join('; ');
  await recordScenario({ ...scenario, figures: { ...scenario.figures, extra }, checks });
  const failed = checks.filter((c) => !c.pass);
  assert.equal(
    failed.length,
    0,
    `${scenario.id}: ${failed.map((c) => `${c.name} (${c.detail})`).join('; ')}\n${JSON.stringify(scenario.figures)}`,
  );
}

/** Ends this attempt for another one when it is not the last, it failed timing checks only, and the machine stalled. */
export function retryIfMachineStalled(checks: readonly Check[], figures: ScenarioFigures, attempt: Attempt): void {
  const failed = checks.filter((c) => !c.pass);
  const stalls = {
    clientStallMs: numberOrUndefined(figures.extra?.['clientStallMs']),
    serverStallMs: numberOrUndefined(figures.extra?.['serverStallMs']),
  };
  if (attempt.last || failed.length === 0 || !failed.every((c) => c.timing) || !machineStalled(stalls)) return;
  const server = stalls.serverStallMs === undefined ? '' : `, server ${stalls.serverStallMs} ms`;
  const names = failed.map((c) => `"${c.name}"`).join(', ');
  attempt.stalls.push(
    `attempt ${attempt.number} failed ${names} while the machine stalled (client ${stalls.clientStallMs} ms${server})`,
  );
  throw new MachineStalled();
}

const numberOrUndefined = (value: unknown) => (typeof value === 'number' ? value : undefined);

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

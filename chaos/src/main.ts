import { spawn } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { CHAOS_MODES, type ChaosMode } from './mode.ts';
import { resultsPath } from './results.ts';
import { writeReliability } from './write-reliability.ts';

/**
 * `pnpm test:chaos`: runs every chaos scenario in `--mode=full` (or `short`), one file at a time, from a clean
 * results file, then (full mode) writes the run's figures into RELIABILITY.md, passed or not. Only the full mode runs
 * the soak (`chaos/soak/`); `pnpm test` runs the short form of the rest. Exits with the tests' status.
 */
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const argument = process.argv.find((arg) => arg.startsWith('--mode='))?.slice('--mode='.length) ?? 'full';
if (!(CHAOS_MODES as readonly string[]).includes(argument)) {
  throw new Error(`usage: node chaos/src/main.ts --mode=${CHAOS_MODES.join('|')}`);
}
const mode = argument as ChaosMode;

const folders = mode === 'full' ? 'src,test,soak' : 'src,test';

await rm(resultsPath(mode), { force: true });
const child = spawn(
  process.execPath,
  ['--test', '--test-concurrency=1', '--test-reporter=spec', `chaos/{${folders}}/**/*.test.ts`],
  { cwd: ROOT, stdio: 'inherit', env: { ...process.env, CHAOS_MODE: mode } },
);
const code = await new Promise<number>((resolve) => child.once('exit', (exitCode) => resolve(exitCode ?? 1)));
// RELIABILITY.md shows the last full run; a short run's figures stay in chaos/.tmp/results/short.json.
if (mode === 'full') await writeReliability(mode);
process.exit(code);

import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { format, resolveConfig } from 'prettier';
import { CHAOS_MODES, type ChaosMode } from './mode.ts';
import { renderFigures, spliceFigures } from './reliability-document.ts';
import { readResults } from './results.ts';

const DOCUMENT = fileURLToPath(new URL('../../RELIABILITY.md', import.meta.url));
const COMMANDS: Record<ChaosMode, string> = { full: 'pnpm test:chaos', short: 'pnpm test' };

/**
 * Writes the figures of `results/<mode>.json` into RELIABILITY.md between its markers, formatted as the repository's
 * Prettier settings want. `node chaos/src/write-reliability.ts [full|short]` (default full).
 */
export async function writeReliability(mode: ChaosMode): Promise<void> {
  const results = await readResults(mode);
  if (results === undefined) throw new Error(`no chaos/results/${mode}.json: run the ${mode} suite first`);
  const current = await readFile(DOCUMENT, 'utf8').catch(() => '# Reliability\n');
  const next = spliceFigures(current, renderFigures(results, COMMANDS[mode]));
  const options = (await resolveConfig(DOCUMENT)) ?? {};
  await writeFile(DOCUMENT, await format(next, { ...options, parser: 'markdown' }));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const mode = (process.argv[2] ?? 'full') as ChaosMode;
  if (!CHAOS_MODES.includes(mode)) throw new Error(`usage: write-reliability.ts [${CHAOS_MODES.join('|')}]`);
  await writeReliability(mode);
}

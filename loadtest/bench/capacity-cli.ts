// pnpm --filter @splitserve/loadtest capacity [-- --rps 1000 --io-ms 70 --cpu-ms 30] [-- --write]
// Prints the capacity plan for a target from loadtest/results/*.json. --write (default target only) applies it to
// deploy/cloud-run/*.yaml and the cost section of deploy/README.md.
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { capacityInputs, readPlanSources } from './capacity-inputs.ts';
import { applyToManifest, applyToReadme, manifestValues } from './capacity-manifests.ts';
import { planCapacity, SEED_TARGET, type CapacityTarget } from './capacity-plan.ts';
import { renderCapacitySection } from './capacity-section.ts';
import { RESULTS_DIR } from './output-paths.ts';

const DEPLOY = new URL('../../deploy/', import.meta.url);
const FLAGS: Record<string, keyof CapacityTarget> = {
  '--rps': 'requestsPerSecond',
  '--io-ms': 'ioMs',
  '--cpu-ms': 'modelCpuMs',
};

const args = process.argv.slice(2).filter((arg) => arg !== '--');
const target: CapacityTarget = { ...SEED_TARGET };
for (const [flag, key] of Object.entries(FLAGS)) {
  const at = args.indexOf(flag);
  if (at === -1) continue;
  const value = Number(args[at + 1]);
  if (!(Number.isFinite(value) && value > 0)) throw new Error(`${flag} takes a positive number`);
  target[key] = value;
}
const command = ['pnpm --filter @splitserve/loadtest capacity', ...(args.length > 0 ? ['--', ...args] : [])].join(' ');
const plan = planCapacity(target, await capacityInputs(await readPlanSources(RESULTS_DIR)));
console.log(renderCapacitySection(plan, command));

if (args.includes('--write')) {
  if (Object.keys(FLAGS).some((flag) => args.includes(flag))) {
    throw new Error('--write applies the default target only: the manifests are sized for the reference load');
  }
  for (const [file, values] of Object.entries(manifestValues(plan))) {
    const url = new URL(`cloud-run/${file}`, DEPLOY);
    await writeFile(url, applyToManifest(await readFile(url, 'utf8'), values));
    console.error(`wrote ${fileURLToPath(url)}`);
  }
  const readme = new URL('README.md', DEPLOY);
  await writeFile(readme, applyToReadme(await readFile(readme, 'utf8'), plan));
  console.error(`wrote ${fileURLToPath(readme)}`);
}

// Builds the demo models: node services/scorer/scripts/build-demo-models/main.ts [outDir]
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildDemoModels } from './build-demo-models.ts';

const defaultRepository = fileURLToPath(new URL('../../model-repository', import.meta.url));
const repositoryDir = path.resolve(process.argv[2] ?? defaultRepository);

const { paths, interestsReport } = await buildDemoModels(repositoryDir);
for (const file of paths) {
  console.log(`${path.relative(process.cwd(), file)}  ${(await stat(file)).size} bytes`);
}
const { dominantTopAccuracy, dominantUsers, heldOutUsers, heldOutLogLoss } = interestsReport;
console.log(
  `interests: top score = dominant recent category for ${(dominantTopAccuracy * 100).toFixed(1)}% of ` +
    `${dominantUsers} held-out users (of ${heldOutUsers}); held-out log loss ${heldOutLogLoss.toFixed(4)}`,
);

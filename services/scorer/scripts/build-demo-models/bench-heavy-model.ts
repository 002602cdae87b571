// Times interests-heavy variants:
// node bench-heavy-model.ts [--hidden 256] [--repeats 3300] [--structure loop|unrolled] [--runs 15] [--batches 1,4]
import { parseArgs } from 'node:util';
import { HEAVY_PROFILES, buildHeavyModel } from './interests-heavy-model.ts';
import { FEATURE_COUNT } from './interest-feature-layout.ts';
import { measureModel } from './measure-model.ts';

const reference = HEAVY_PROFILES.reference30Ms;
const { values } = parseArgs({
  options: {
    hidden: { type: 'string', default: String(reference.hidden) },
    repeats: { type: 'string', default: String(reference.repeats) },
    structure: { type: 'string', default: reference.structure },
    runs: { type: 'string', default: '15' },
    batches: { type: 'string', default: '1,4,16,64' },
  },
});
const structure = values.structure === 'unrolled' ? 'unrolled' : 'loop';
const model = buildHeavyModel({ hidden: Number(values.hidden), repeats: Number(values.repeats), structure });
const timings = await measureModel(model, 'features', FEATURE_COUNT, {
  batchSizes: values.batches.split(',').map(Number),
  runs: Number(values.runs),
});
console.log(`hidden=${values.hidden} repeats=${values.repeats} structure=${structure} model=${model.length} bytes`);
for (const timing of timings) {
  console.log(
    `batch ${String(timing.batchSize).padStart(2)}: ${timing.medianMsPerRun.toFixed(2).padStart(8)} ms/run ` +
      `${timing.rowsPerSecond.toFixed(1).padStart(8)} rows/s ${timing.cpuMsPerRun.toFixed(2).padStart(8)} ms CPU/run`,
  );
}
console.log(`rss=${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MiB`);

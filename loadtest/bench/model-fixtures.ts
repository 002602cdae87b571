import { cp, mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  HEAVY_PROFILES,
  heavyModelArtifact,
} from '@splitserve/scorer/scripts/build-demo-models/interests-heavy-model.ts';
import { writeModelArtifact } from '@splitserve/scorer/scripts/build-demo-models/model-repository.ts';

/** The scorer's committed demo model repository. */
export const DEMO_REPOSITORY = fileURLToPath(
  new URL('model-repository/', import.meta.resolve('@splitserve/scorer/package.json')),
);

/** A model the benchmark sends requests to: FP32 `[batch, width]` in. */
export type BenchModel = { name: string; modelPath: string; input: string; width: number; description: string };

/** The fields of a model a raw onnxruntime job needs. */
export function rawModel(model: BenchModel): Pick<BenchModel, 'modelPath' | 'input' | 'width'> {
  return { modelPath: model.modelPath, input: model.input, width: model.width };
}

/** Model repositories in a temporary directory, built once per run. */
export type ModelFixtures = {
  /** `interests` (≈0.06 ms per row) from the demo repository. */
  interests: BenchModel;
  /** A ≈3 ms per row `interests-heavy` variant built for this run. */
  light: BenchModel;
  /** `interests-heavy` (≈30 ms per row) from the demo repository. */
  heavy: BenchModel;
  /** The three models above: what the latency, throughput and liveness scorers serve. */
  servingRepository: string;
  /** The demo repository as committed, and each of its models alone in a repository of its own. */
  demoRepository: { dir: string; models: string[] };
  aloneRepositories: { model: string; dir: string }[];
  /** A repository with no model in it. */
  emptyRepository: string;
  remove(): Promise<void>;
};

const LIGHT_MODEL = 'interests-3ms';
const FEATURES = { input: 'features', width: 64 } as const;

/**
 * Copies the demo models and builds the ≈3 ms model (`HEAVY_PROFILES.light3Ms` of the demo model builder, served
 * with `{"maxBatchSize": 32}`) into repositories under the OS temp directory. Call `remove()` when done. Throws
 * when the demo repository is missing or a model cannot be built.
 */
export async function createModelFixtures(): Promise<ModelFixtures> {
  const root = await mkdtemp(path.join(tmpdir(), 'splitserve-bench-'));
  try {
    const servingRepository = path.join(root, 'serving');
    const emptyRepository = path.join(root, 'empty');
    await mkdir(emptyRepository);
    const demoModels = (await readdir(DEMO_REPOSITORY, { withFileTypes: true }))
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name)
      .sort();
    const aloneRepositories: ModelFixtures['aloneRepositories'] = [];
    for (const model of demoModels) {
      const dir = path.join(root, `only-${model}`);
      await cp(path.join(DEMO_REPOSITORY, model), path.join(dir, model), { recursive: true });
      aloneRepositories.push({ model, dir });
    }
    for (const model of ['interests', 'interests-heavy']) {
      await cp(path.join(DEMO_REPOSITORY, model), path.join(servingRepository, model), { recursive: true });
    }
    const light = heavyModelArtifact(HEAVY_PROFILES.light3Ms, LIGHT_MODEL);
    const [lightPath] = await writeModelArtifact(servingRepository, { ...light, config: { maxBatchSize: 32 } });
    const modelPath = (name: string) => path.join(servingRepository, name, '1', 'model.onnx');
    const { hidden, repeats } = HEAVY_PROFILES.light3Ms;
    return {
      interests: {
        name: 'interests',
        modelPath: modelPath('interests'),
        ...FEATURES,
        description: 'demo, ≈0.06 ms/row',
      },
      light: {
        name: LIGHT_MODEL,
        modelPath: lightPath!,
        ...FEATURES,
        description: `interests-heavy variant ${repeats} × ${hidden}² (light3Ms), ≈3 ms/row`,
      },
      heavy: {
        name: 'interests-heavy',
        modelPath: modelPath('interests-heavy'),
        ...FEATURES,
        description: 'demo, ≈30 ms/row',
      },
      servingRepository,
      demoRepository: { dir: DEMO_REPOSITORY, models: demoModels },
      aloneRepositories,
      emptyRepository,
      remove: () => rm(root, { recursive: true, force: true }),
    };
  } catch (error) {
    await rm(root, { recursive: true, force: true });
    throw error;
  }
}

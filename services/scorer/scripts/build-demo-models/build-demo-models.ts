import { HEAVY_PROFILES, heavyModelArtifact } from './interests-heavy-model.ts';
import { FEATURE_NAMES, INTEREST_LABELS } from './interest-feature-layout.ts';
import { buildInterestsModel } from './interests-model.ts';
import type { InterestsTrainingReport } from './interests-model.ts';
import { writeModelArtifact } from './model-repository.ts';
import type { ModelArtifact } from './model-repository.ts';
import { TOKEN_TOPIC_RULE, TOPIC_LABELS, buildTextTopicsModel } from './text-topics-model.ts';

export interface DemoModels {
  artifacts: ModelArtifact[];
  interestsReport: InterestsTrainingReport;
}

/** Builds the three demo models in memory: `interests`, `interests-heavy` (the 30 ms profile) and `text-topics`. */
export function buildDemoModelArtifacts(): DemoModels {
  const interests = buildInterestsModel();
  const artifacts: ModelArtifact[] = [
    {
      name: 'interests',
      version: 1,
      model: interests.model,
      config: { labels: { scores: INTEREST_LABELS }, features: FEATURE_NAMES, maxBatchSize: 64 },
    },
    heavyModelArtifact(HEAVY_PROFILES.reference30Ms),
    {
      name: 'text-topics',
      version: 1,
      model: buildTextTopicsModel(),
      config: { labels: { probabilities: TOPIC_LABELS }, maxBatchSize: 32, tokenTopic: TOKEN_TOPIC_RULE },
    },
  ];
  return { artifacts, interestsReport: interests.report };
}

/**
 * Builds the demo models and writes them into the model repository at `repositoryDir`. Deterministic: the same
 * sources always produce byte-identical files. Returns the written paths and the `interests` training figures.
 */
export async function buildDemoModels(
  repositoryDir: string,
): Promise<{ paths: string[]; interestsReport: InterestsTrainingReport }> {
  const { artifacts, interestsReport } = buildDemoModelArtifacts();
  const paths: string[] = [];
  for (const artifact of artifacts) paths.push(...(await writeModelArtifact(repositoryDir, artifact)));
  return { paths, interestsReport };
}

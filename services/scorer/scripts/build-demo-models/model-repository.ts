import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** One model version as the scorer's repository lays it out: `<name>/<version>/model.onnx` + `<name>/config.json`. */
export interface ModelArtifact {
  name: string;
  version: number;
  model: Uint8Array;
  config: Readonly<Record<string, unknown>>;
}

/**
 * Writes an artifact under `repositoryDir`, creating folders as needed and overwriting older files, and returns the
 * paths written. config.json is pretty-printed with a trailing newline so it diffs well in review.
 */
export async function writeModelArtifact(repositoryDir: string, artifact: ModelArtifact): Promise<string[]> {
  const modelDir = path.join(repositoryDir, artifact.name);
  const versionDir = path.join(modelDir, String(artifact.version));
  await mkdir(versionDir, { recursive: true });
  const modelPath = path.join(versionDir, 'model.onnx');
  const configPath = path.join(modelDir, 'config.json');
  await writeFile(modelPath, artifact.model);
  await writeFile(configPath, `${JSON.stringify(artifact.config, null, 2)}\n`);
  return [modelPath, configPath];
}

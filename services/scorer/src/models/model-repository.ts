import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { modelConfigSchema, type ModelConfig } from './model-config.ts';

/** One model found in the repository, with its versions in ascending order. */
export type RepositoryModel = {
  name: string;
  config: ModelConfig;
  versions: { version: string; modelPath: string }[];
};

const MODEL_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/;
const VERSION = /^[1-9][0-9]{0,8}$/;

/**
 * Reads a model repository laid out as `<model>/<version>/model.onnx` with an optional `<model>/config.json`.
 * Versions are positive integers. Throws an error naming the offending path when the repository is empty, a
 * config is invalid, or a model has no version.
 */
export async function readModelRepository(root: string): Promise<RepositoryModel[]> {
  const names = await readdir(root).catch((error: unknown) => {
    throw new Error(`cannot read the model repository ${root}: ${(error as Error).message}`);
  });
  const models: RepositoryModel[] = [];
  for (const name of names.sort()) {
    const dir = join(root, name);
    if (name.startsWith('.') || !(await isDirectory(dir))) continue;
    if (!MODEL_NAME.test(name)) throw new Error(`invalid model name '${name}' in ${root}`);
    const config = await readConfig(join(dir, 'config.json'));
    const versions: RepositoryModel['versions'] = [];
    for (const version of await readdir(dir)) {
      if (!VERSION.test(version)) continue;
      const modelPath = join(dir, version, 'model.onnx');
      if (await isFile(modelPath)) versions.push({ version, modelPath });
    }
    if (versions.length === 0) throw new Error(`model '${name}' has no <version>/model.onnx in ${dir}`);
    versions.sort((a, b) => Number(a.version) - Number(b.version));
    models.push({ name, config, versions });
  }
  if (models.length === 0) throw new Error(`the model repository ${root} holds no model`);
  return models;
}

async function readConfig(path: string): Promise<ModelConfig> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw error;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new Error(`${path} is not valid JSON: ${(error as Error).message}`, { cause: error });
  }
  const parsed = modelConfigSchema.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`);
    throw new Error(`${path} is invalid: ${issues.join('; ')}`);
  }
  return parsed.data;
}

async function isFile(path: string): Promise<boolean> {
  return stat(path).then(
    (s) => s.isFile(),
    () => false,
  );
}

async function isDirectory(path: string): Promise<boolean> {
  return stat(path).then(
    (s) => s.isDirectory(),
    () => false,
  );
}

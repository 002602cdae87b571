import { modelNotFound } from '../errors.ts';
import type { RepositoryModel } from './model-repository.ts';
import { ServedModel, type ServedModelOptions } from './served-model.ts';

type ModelEntry = { versions: Map<string, ServedModel>; latest: ServedModel };

/**
 * Every version of every model in the repository, by name. The highest version of a model answers requests that
 * name no version.
 */
export class ModelRegistry {
  readonly #models = new Map<string, ModelEntry>();

  constructor(
    repository: readonly RepositoryModel[],
    options: Pick<ServedModelOptions, 'defaults'> & {
      observersFor?: (name: string, version: string) => ServedModelOptions['observers'];
    },
  ) {
    for (const model of repository) {
      const versions = new Map<string, ServedModel>();
      for (const { version, modelPath } of model.versions) {
        const observers = options.observersFor?.(model.name, version);
        versions.set(
          version,
          new ServedModel({
            name: model.name,
            version,
            modelPath,
            config: model.config,
            defaults: options.defaults,
            ...(observers && { observers }),
          }),
        );
      }
      this.#models.set(model.name, { versions, latest: [...versions.values()].at(-1)! });
    }
  }

  /** Loads and warms every version; rejects with the first model that cannot be served. */
  async start(): Promise<void> {
    await Promise.all(this.all().map((model) => model.start()));
  }

  /** The named version, or the latest when `version` is undefined. Throws a 404 error when there is none. */
  resolve(name: string, version?: string): ServedModel {
    const entry = this.#models.get(name);
    if (entry === undefined) throw modelNotFound(name);
    if (version === undefined) return entry.latest;
    const served = entry.versions.get(version);
    if (served === undefined) throw modelNotFound(name, version);
    return served;
  }

  /** Version names of a model, ascending. */
  versionsOf(name: string): string[] {
    return [...(this.#models.get(name)?.versions.keys() ?? [])];
  }

  all(): ServedModel[] {
    return [...this.#models.values()].flatMap((entry) => [...entry.versions.values()]);
  }

  /** Every version loaded and with a live worker. */
  get ready(): boolean {
    return this.all().every((model) => model.ready);
  }

  /** Resolves once no request is queued or running on any model. */
  async idle(): Promise<void> {
    await Promise.all(this.all().map((model) => model.idle()));
  }

  async close(): Promise<void> {
    await Promise.all(this.all().map((model) => model.close()));
  }
}

import type { ModelMetadata } from '@splitserve/contracts';
import { BatchCostModel } from '../batching/batch-cost-model.ts';
import { BatchScheduler, type SchedulerObserver } from '../batching/batch-scheduler.ts';
import type { InferenceJob, JobResult } from '../batching/job.ts';
import { unavailable } from '../errors.ts';
import { InferencePool, type PoolObserver } from '../pool/inference-pool.ts';
import type { WorkerFault } from '../worker/protocol.ts';
import type { ModelConfig } from './model-config.ts';
import { hasBatchDimension, toMetadataTensor, toTensorSpecs, type TensorSpec } from './tensor-spec.ts';

/** Server-wide defaults a model's config.json may override. */
export type ModelDefaults = {
  instances: number;
  intraOpThreads: number;
  maxBatchSize: number;
  maxQueueDelayMs: number;
  /** With no fixed queue delay, hold batches open by the model's measured costs (see batching/hold-policy.ts). */
  adaptiveBatching: boolean;
  warmupRuns: number;
  /** Niceness of inference threads. */
  workerNice: number;
};

export type ServedModelOptions = {
  name: string;
  version: string;
  modelPath: string;
  config: ModelConfig;
  defaults: ModelDefaults;
  observers?: { pool?: PoolObserver; scheduler?: SchedulerObserver };
};

/** What a loaded model exposes to request handling. */
export type LoadedModel = { inputs: TensorSpec[]; outputs: TensorSpec[]; maxBatchSize: number };

/**
 * One version of one model being served: its worker pool, its scheduler and the signature requests are checked
 * against. Exists (and answers 503 MODEL_NOT_READY) from start-up; ready once every worker is loaded and warmed.
 */
export class ServedModel {
  readonly name: string;
  readonly version: string;
  readonly #options: ServedModelOptions;
  readonly #pool: InferencePool;
  #scheduler: BatchScheduler | undefined;
  #loaded: LoadedModel | undefined;
  #armedFault: WorkerFault | undefined;

  constructor(options: ServedModelOptions) {
    const { config, defaults } = options;
    this.name = options.name;
    this.version = options.version;
    this.#options = options;
    this.#pool = new InferencePool({
      worker: {
        modelPath: options.modelPath,
        intraOpThreads: config.intraOpThreads ?? defaults.intraOpThreads,
        nice: defaults.workerNice,
        warmupRuns: config.warmupRuns ?? defaults.warmupRuns,
        warmupBatchRows: Math.max(1, config.maxBatchSize ?? defaults.maxBatchSize),
      },
      instances: config.instances ?? defaults.instances,
      onWorkerIdle: () => this.#scheduler?.pump(),
      ...(options.observers?.pool && { observer: options.observers.pool }),
    });
  }

  /** Loads and warms every worker. Throws when the model cannot be served as configured. */
  async start(): Promise<LoadedModel> {
    const signature = await this.#pool.start();
    const inputs = toTensorSpecs(signature.inputs, this.#options.modelPath);
    const outputs = toTensorSpecs(signature.outputs, this.#options.modelPath);
    const { config, defaults } = this.#options;
    const batchable = hasBatchDimension(inputs) && hasBatchDimension(outputs);
    if (config.maxBatchSize !== undefined && config.maxBatchSize > 1 && !batchable) {
      throw new Error(
        `${this.#options.modelPath}: maxBatchSize ${config.maxBatchSize} needs a free first dimension on every ` +
          'input and output; set "maxBatchSize": 0 in config.json to serve it unbatched',
      );
    }
    const maxBatchSize = batchable ? (config.maxBatchSize ?? defaults.maxBatchSize) : 0;
    const rowsPerRun = Math.max(1, maxBatchSize);
    const costModel = new BatchCostModel();
    costModel.seed(this.#pool.warmupRuns);
    this.#scheduler = new BatchScheduler(this.#pool, {
      maxBatchSize: rowsPerRun,
      maxQueueDelayMs: config.maxQueueDelayMs ?? defaults.maxQueueDelayMs,
      adaptive: config.adaptiveBatching ?? defaults.adaptiveBatching,
      costModel,
      maxQueueSize: config.maxQueueSize ?? 4 * (config.instances ?? defaults.instances) * rowsPerRun,
      ...(this.#options.observers?.scheduler && { observer: this.#options.observers.scheduler }),
    });
    this.#loaded = { inputs, outputs, maxBatchSize };
    return this.#loaded;
  }

  /** The signature, once loaded. */
  get loaded(): LoadedModel | undefined {
    return this.#loaded;
  }

  /** Loaded, with at least one live worker. */
  get ready(): boolean {
    return this.#loaded !== undefined && this.#pool.liveWorkers > 0;
  }

  get queueDepth(): number {
    return this.#scheduler?.queueDepth ?? 0;
  }

  /** Model metadata for `GET /v2/models/{name}[/versions/{version}]`. */
  metadata(versions: string[]): ModelMetadata {
    const loaded = this.#requireLoaded();
    const parameters: Record<string, unknown> = { max_batch_size: loaded.maxBatchSize };
    if (this.#options.config.labels) parameters['labels'] = this.#options.config.labels;
    return {
      name: this.name,
      versions,
      platform: 'onnxruntime_onnx',
      inputs: loaded.inputs.map(toMetadataTensor),
      outputs: loaded.outputs.map(toMetadataTensor),
      parameters,
    };
  }

  /** Queues a validated job; see {@link BatchScheduler.submit}. */
  submit(job: InferenceJob): Promise<JobResult> {
    // While a dead worker is being replaced the job waits in the queue (bounded by its deadline) rather than fail.
    if (this.#scheduler === undefined || !this.#pool.recovering) {
      throw unavailable('MODEL_NOT_READY', `model '${this.name}' version ${this.version} is not ready`);
    }
    if (this.#armedFault !== undefined) {
      job.fault = this.#armedFault;
      this.#armedFault = undefined;
    }
    return this.#scheduler.submit(job);
  }

  /** Test hook (mounted only when fault injection is enabled): the next batch kills the worker running it. */
  armFault(fault: WorkerFault): void {
    this.#armedFault = fault;
  }

  /** Resolves once no request is queued or running. */
  idle(): Promise<void> {
    return this.#scheduler?.idle() ?? Promise.resolve();
  }

  close(): Promise<void> {
    return this.#pool.close();
  }

  #requireLoaded(): LoadedModel {
    if (this.#loaded === undefined) {
      throw unavailable('MODEL_NOT_READY', `model '${this.name}' version ${this.version} is still loading`);
    }
    return this.#loaded;
  }
}

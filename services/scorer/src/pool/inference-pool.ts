import { Worker } from 'node:worker_threads';
import { inferenceFailed } from '../errors.ts';
import type {
  HostMessage,
  WireTensor,
  WireValueInfo,
  WarmupRun,
  WorkerFault,
  WorkerInit,
  WorkerMessage,
} from '../worker/protocol.ts';

const WORKER_URL = new URL('../worker/inference-worker.ts', import.meta.url);
const MAX_RESTART_DELAY_MS = 5_000;

/** A model's inputs and outputs as its session reports them. */
export type ModelSignature = { inputs: WireValueInfo[]; outputs: WireValueInfo[] };

/** What one batch run returns. */
export type RunResult = { outputs: Record<string, WireTensor>; computeMs: number };

/** Pool events, for metrics and logs. */
export type PoolObserver = {
  workerReady?(): void;
  workerExited?(details: { exitCode: number; error: Error | undefined; heldBatch: boolean }): void;
};

export type InferencePoolOptions = {
  /** What each worker loads and how. */
  worker: WorkerInit;
  /** Worker threads, each with its own session. */
  instances: number;
  /** Called whenever a worker becomes free, so the scheduler can hand it the next batch. */
  onWorkerIdle: () => void;
  observer?: PoolObserver;
  /** Shortest wait before replacing a dead worker; doubles while replacements keep dying before they are ready. */
  restartDelayMs?: number;
};

type Slot = {
  worker: Worker;
  state: 'starting' | 'idle' | 'busy';
  held?: { batchId: number; resolve: (result: RunResult) => void; reject: (error: Error) => void };
  lastError?: Error;
};

/**
 * A fixed set of inference worker threads for one model version. Runs one batch per worker at a time; a worker
 * that dies fails the batch it held at once (never leaving its callers waiting) and is replaced with backoff.
 */
export class InferencePool {
  readonly #options: InferencePoolOptions;
  readonly #slots = new Set<Slot>();
  #nextBatchId = 0;
  #failedStarts = 0;
  #closing = false;
  #pendingRestarts = 0;
  #signature: ModelSignature | undefined;
  #warmupRuns: readonly WarmupRun[] = [];

  constructor(options: InferencePoolOptions) {
    if (!Number.isInteger(options.instances) || options.instances < 1) {
      throw new RangeError(`instances must be a positive integer, got ${options.instances}`);
    }
    this.#options = options;
  }

  /** Starts every worker; resolves with the model's signature once all are loaded and warmed. */
  async start(): Promise<ModelSignature> {
    const started = Array.from({ length: this.#options.instances }, () => this.#spawn());
    const [signature] = await Promise.all(started);
    return signature!;
  }

  /** Workers that can take a batch now. */
  get idleWorkers(): number {
    let count = 0;
    for (const slot of this.#slots) if (slot.state === 'idle') count++;
    return count;
  }

  /** Workers running a batch now. */
  get busyWorkers(): number {
    let count = 0;
    for (const slot of this.#slots) if (slot.state === 'busy') count++;
    return count;
  }

  /** Warm-up runs the workers timed before they were ready (the first worker's), to seed the cost of a run. */
  get warmupRuns(): readonly WarmupRun[] {
    return this.#warmupRuns;
  }

  /** A worker is serving, loading, or about to be replaced: queued work will be picked up. */
  get recovering(): boolean {
    return this.#slots.size > 0 || this.#pendingRestarts > 0;
  }

  /** Workers loaded and serving (idle or busy). */
  get liveWorkers(): number {
    let count = 0;
    for (const slot of this.#slots) if (slot.state !== 'starting') count++;
    return count;
  }

  /**
   * Runs one batch on an idle worker, or returns `undefined` when none is idle. Input buffers that a tensor owns
   * whole are transferred (and detached here), others are copied.
   */
  tryRun(
    inputs: Record<string, WireTensor>,
    outputNames: string[],
    fault?: WorkerFault,
  ): Promise<RunResult> | undefined {
    let slot: Slot | undefined;
    for (const candidate of this.#slots) {
      if (candidate.state === 'idle') {
        slot = candidate;
        break;
      }
    }
    if (slot === undefined) return undefined;
    const batchId = this.#nextBatchId++;
    const transfer = new Set<ArrayBuffer>();
    for (const tensor of Object.values(inputs)) {
      const data = tensor.data;
      if (!Array.isArray(data) && data.buffer instanceof ArrayBuffer && data.byteLength === data.buffer.byteLength) {
        transfer.add(data.buffer);
      }
    }
    const message: HostMessage = { type: 'run', batchId, inputs, outputNames, ...(fault && { fault }) };
    slot.state = 'busy';
    const busy = slot;
    return new Promise<RunResult>((resolve, reject) => {
      busy.held = { batchId, resolve, reject };
      busy.worker.postMessage(message, [...transfer]);
    });
  }

  /** Stops every worker. Batches still held are failed. */
  async close(): Promise<void> {
    this.#closing = true;
    await Promise.all([...this.#slots].map((slot) => slot.worker.terminate()));
  }

  #spawn(): Promise<ModelSignature> {
    const worker = new Worker(WORKER_URL, { workerData: this.#options.worker });
    const slot: Slot = { worker, state: 'starting' };
    this.#slots.add(slot);
    return new Promise<ModelSignature>((resolveStart, rejectStart) => {
      worker.on('message', (message: WorkerMessage) => {
        switch (message.type) {
          case 'ready':
            slot.state = 'idle';
            this.#failedStarts = 0;
            if (this.#signature === undefined) {
              this.#signature = { inputs: message.inputs, outputs: message.outputs };
              this.#warmupRuns = message.warmup;
            }
            this.#options.observer?.workerReady?.();
            resolveStart(this.#signature);
            this.#options.onWorkerIdle();
            return;
          case 'load-failed':
            rejectStart(new Error(`cannot load ${this.#options.worker.modelPath}: ${message.message}`));
            void worker.terminate();
            return;
          case 'result':
            this.#settle(slot, message);
            return;
        }
      });
      worker.on('error', (error: Error) => {
        slot.lastError = error;
      });
      worker.on('exit', (exitCode) => {
        this.#slots.delete(slot);
        const held = slot.held;
        slot.held = undefined;
        if (!this.#closing) {
          this.#options.observer?.workerExited?.({ exitCode, error: slot.lastError, heldBatch: held !== undefined });
        }
        held?.reject(
          inferenceFailed(
            'WORKER_DIED',
            `the inference worker died while running this request (exit code ${exitCode})`,
            slot.lastError,
          ),
        );
        if (slot.state === 'starting') {
          rejectStart(slot.lastError ?? new Error(`inference worker exited with code ${exitCode} while loading`));
          this.#failedStarts++;
        }
        if (!this.#closing && this.#signature !== undefined) this.#replace();
      });
    });
  }

  #replace(): void {
    const base = this.#options.restartDelayMs ?? 100;
    const delayMs = Math.min(MAX_RESTART_DELAY_MS, base * 2 ** this.#failedStarts);
    this.#pendingRestarts++;
    setTimeout(() => {
      this.#pendingRestarts--;
      if (this.#closing) return;
      // A replacement that fails to load is retried by its own exit handler.
      this.#spawn().catch(() => undefined);
    }, delayMs).unref();
  }

  #settle(slot: Slot, message: Extract<WorkerMessage, { type: 'result' }>): void {
    const held = slot.held;
    if (held === undefined || held.batchId !== message.batchId) return;
    slot.held = undefined;
    slot.state = 'idle';
    if (message.ok) held.resolve({ outputs: message.outputs, computeMs: message.computeMs });
    else held.reject(inferenceFailed('INFERENCE_FAILED', `inference failed: ${message.message}`));
    this.#options.onWorkerIdle();
  }
}

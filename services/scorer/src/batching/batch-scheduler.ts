import { deadlineExceeded, unavailable } from '../errors.ts';
import type { InferencePool, RunResult } from '../pool/inference-pool.ts';
import { ArrivalRate } from './arrival-rate.ts';
import { BatchCostModel } from './batch-cost-model.ts';
import { DeadlineTimer } from './deadline-timer.ts';
import { holdMs } from './hold-policy.ts';
import type { InferenceJob, JobResult } from './job.ts';
import { splitOutputs, stackInputs } from './stack.ts';

/** How far past the queue's head the scheduler looks for jobs that stack with it. */
const SCAN_LIMIT = 256;

export type BatchSchedulerOptions = {
  /** Rows per run; 1 runs each job alone. */
  maxBatchSize: number;
  /**
   * Longest a job waits for company when a worker is free. 0: no fixed wait; then, with `adaptive`, a free worker
   * waits only while other batches run and the model's measured costs say a bigger batch is worth it (hold-policy.ts).
   */
  maxQueueDelayMs: number;
  /** Hold batches open by measured cost when `maxQueueDelayMs` is 0 (default true). */
  adaptive?: boolean;
  /** Learns the model's run costs; pass one seeded with warm-up runs. */
  costModel?: BatchCostModel;
  /** Measures the arrival rate of rows (tests pass one already primed). */
  arrivals?: ArrivalRate;
  /** Jobs that may wait; one more is refused with 503 OVERLOADED at once. */
  maxQueueSize: number;
  observer?: SchedulerObserver;
};

/** Scheduler events, for metrics. */
export type SchedulerObserver = {
  batchStarted?(rows: number, jobs: number): void;
  batchFinished?(computeMs: number): void;
  jobExpired?(whileQueued: boolean): void;
  queueDepthChanged?(depth: number): void;
};

/** What the scheduler needs of a pool (InferencePool, or a fake in tests). */
export type SchedulerPool = Pick<InferencePool, 'tryRun' | 'idleWorkers' | 'busyWorkers'>;

type Pending = {
  job: InferenceJob;
  resolve: (result: JobResult) => void;
  reject: (error: Error) => void;
  enqueuedAt: number;
  deadlineAt: number;
  state: 'queued' | 'running' | 'done';
};

/**
 * Admission, deadlines and dynamic batching for one model version. A job goes straight to an idle worker; jobs that
 * arrive while every worker is busy wait in a bounded queue and leave it stacked into one batch per free worker.
 * Every job is settled by its deadline, whether it is queued, running or lost with its worker.
 */
export class BatchScheduler {
  readonly #pool: SchedulerPool;
  readonly #options: BatchSchedulerOptions;
  readonly #costs: BatchCostModel;
  readonly #arrivals: ArrivalRate;
  readonly #deadlines = new DeadlineTimer<Pending>((pending) => this.#expire(pending));
  #queue: Pending[] = [];
  #running = 0;
  #delayTimer: NodeJS.Timeout | undefined;
  #delayUntil = 0;
  #idleWaiters: (() => void)[] = [];

  constructor(pool: SchedulerPool, options: BatchSchedulerOptions) {
    for (const key of ['maxBatchSize', 'maxQueueSize'] as const) {
      if (!Number.isInteger(options[key]) || options[key] < 1)
        throw new RangeError(`${key} must be a positive integer`);
    }
    this.#pool = pool;
    this.#options = options;
    this.#costs = options.costModel ?? new BatchCostModel();
    this.#arrivals = options.arrivals ?? new ArrivalRate();
  }

  /** Jobs waiting for a worker. */
  get queueDepth(): number {
    return this.#queue.length;
  }

  /**
   * Queues a job and settles with its outputs. Throws (synchronously) a 503 OVERLOADED error when the queue is full
   * and a 504 when the deadline has already passed.
   */
  submit(job: InferenceJob): Promise<JobResult> {
    const now = performance.now();
    if (job.deadlineAt <= now) throw deadlineExceeded('the request deadline had passed on arrival');
    if (this.#queue.length >= this.#options.maxQueueSize) {
      throw unavailable('OVERLOADED', `the queue is full (${this.#options.maxQueueSize} waiting); retry later`);
    }
    this.#arrivals.arrived(job.rows, now);
    return new Promise<JobResult>((resolve, reject) => {
      const pending: Pending = {
        job,
        resolve,
        reject,
        enqueuedAt: now,
        deadlineAt: job.deadlineAt,
        state: 'queued',
      };
      this.#deadlines.add(pending);
      this.#queue.push(pending);
      this.#options.observer?.queueDepthChanged?.(this.#queue.length);
      this.pump();
    });
  }

  /** Hands batches to idle workers while there are both. The pool calls this whenever a worker frees up. */
  pump(): void {
    while (this.#queue.length > 0 && this.#pool.idleWorkers > 0) {
      if (this.#shouldWaitForCompany()) return;
      const batch = this.#takeBatch();
      if (batch.length > 0) this.#run(batch);
    }
  }

  /** Resolves once nothing is queued or running (for draining on shutdown). */
  idle(): Promise<void> {
    if (this.#queue.length === 0 && this.#running === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  #shouldWaitForCompany(): boolean {
    const { maxQueueDelayMs, maxBatchSize } = this.#options;
    if (maxBatchSize <= 1) return false;
    if (maxQueueDelayMs <= 0) return this.#options.adaptive !== false && this.#holdByCost();
    let rows = 0;
    for (const pending of this.#queue) rows += pending.job.rows;
    const waitedMs = performance.now() - this.#queue[0]!.enqueuedAt;
    if (rows >= maxBatchSize || waitedMs >= maxQueueDelayMs) return false;
    this.#wakeAfter(maxQueueDelayMs - waitedMs);
    return true;
  }

  /** See hold-policy.ts: wait for company only while other batches run and a bigger batch is worth the wait. */
  #holdByCost(): boolean {
    const runningBatches = this.#pool.busyWorkers;
    if (runningBatches === 0) return false;
    const now = performance.now();
    let rows = 0;
    let earliestDeadline = Infinity;
    for (let i = 0; i < this.#queue.length && i < SCAN_LIMIT; i++) {
      const job = this.#queue[i]!.job;
      rows += job.rows;
      if (job.deadlineAt < earliestDeadline) earliestDeadline = job.deadlineAt;
    }
    const waitMs = holdMs({
      queuedRows: rows,
      maxBatchSize: this.#options.maxBatchSize,
      runningBatches,
      waitedMs: now - this.#queue[0]!.enqueuedAt,
      arrivalRowsPerMs: this.#arrivals.rowsPerMs,
      fixedMs: this.#costs.fixedMs,
      slackMs: earliestDeadline - now - this.#costs.runMs(rows + 1),
    });
    if (waitMs <= 0) return false;
    this.#wakeAfter(waitMs);
    return true;
  }

  /** Pumps again after `delayMs`, unless a pump is already due sooner. */
  #wakeAfter(delayMs: number): void {
    const at = performance.now() + delayMs;
    if (this.#delayTimer !== undefined) {
      if (this.#delayUntil <= at) return;
      clearTimeout(this.#delayTimer);
    }
    this.#delayUntil = at;
    this.#delayTimer = setTimeout(() => {
      this.#delayTimer = undefined;
      this.pump();
    }, delayMs);
  }

  #takeBatch(): Pending[] {
    const now = performance.now();
    const batch: Pending[] = [];
    let rows = 0;
    let shapeKey: string | undefined;
    for (let i = 0; i < this.#queue.length && i < SCAN_LIMIT && rows < this.#options.maxBatchSize;) {
      const pending = this.#queue[i]!;
      if (pending.job.deadlineAt <= now) {
        this.#queue.splice(i, 1);
        this.#expire(pending);
        continue;
      }
      const fits = rows + pending.job.rows <= this.#options.maxBatchSize;
      if (batch.length === 0 || (fits && pending.job.shapeKey === shapeKey)) {
        this.#queue.splice(i, 1);
        batch.push(pending);
        rows += pending.job.rows;
        shapeKey = pending.job.shapeKey;
        if (this.#options.maxBatchSize <= 1) break;
      } else {
        i++;
      }
    }
    this.#options.observer?.queueDepthChanged?.(this.#queue.length);
    return batch;
  }

  #run(batch: Pending[]): void {
    const jobs = batch.map((pending) => pending.job);
    const run = this.#pool.tryRun(stackInputs(jobs), outputNamesOf(jobs), jobs.find((job) => job.fault)?.fault);
    if (run === undefined) {
      this.#queue.unshift(...batch);
      return;
    }
    const startedAt = performance.now();
    let rows = 0;
    for (const pending of batch) {
      pending.state = 'running';
      rows += pending.job.rows;
    }
    this.#running += batch.length;
    this.#options.observer?.batchStarted?.(rows, batch.length);
    const fail = (error: Error): void => {
      for (const pending of batch) if (this.#close(pending)) pending.reject(error);
    };
    const answered = (result: RunResult): void => {
      this.#costs.observe(rows, performance.now() - startedAt);
      this.#options.observer?.batchFinished?.(result.computeMs);
      const parts = splitOutputs(result.outputs, jobs);
      // One answer per turn of the event loop: a batch's answers are written between other I/O (a health probe,
      // new requests) instead of in one burst that holds the loop for the whole batch.
      const answer = (i: number): void => {
        const pending = batch[i]!;
        if (this.#close(pending)) {
          pending.resolve({
            outputs: parts[i]!,
            queueMs: startedAt - pending.enqueuedAt,
            computeMs: result.computeMs,
            batchRows: rows,
          });
        }
        if (i + 1 < batch.length) setImmediate(answer, i + 1);
      };
      answer(0);
    };
    // One reaction instead of a then/catch/finally chain: three fewer promises per batch.
    run.then(
      (result) => {
        try {
          answered(result);
        } catch (error) {
          fail(error as Error);
        }
        this.#ran(batch.length);
      },
      (error: Error) => {
        fail(error);
        this.#ran(batch.length);
      },
    );
  }

  #ran(jobs: number): void {
    this.#running -= jobs;
    this.#notifyIfIdle();
  }

  /** Marks a job done; false when it already was (expired, or settled by its worker's death). */
  #close(pending: Pending): boolean {
    if (pending.state === 'done') return false;
    pending.state = 'done';
    this.#deadlines.delete(pending);
    return true;
  }

  #expire(pending: Pending): void {
    if (pending.state === 'done') return;
    const whileQueued = pending.state === 'queued';
    if (whileQueued) {
      const index = this.#queue.indexOf(pending);
      if (index !== -1) this.#queue.splice(index, 1);
      this.#options.observer?.queueDepthChanged?.(this.#queue.length);
    }
    this.#options.observer?.jobExpired?.(whileQueued);
    this.#close(pending);
    pending.reject(
      deadlineExceeded(
        whileQueued
          ? 'the request deadline passed while it was queued; it was not run'
          : 'the request deadline passed while it was running',
      ),
    );
    this.#notifyIfIdle();
  }

  #notifyIfIdle(): void {
    if (this.#queue.length > 0 || this.#running > 0) return;
    const waiters = this.#idleWaiters;
    this.#idleWaiters = [];
    for (const resolve of waiters) resolve();
  }
}

/** The outputs any job of a batch asked for, each once. */
function outputNamesOf(jobs: readonly InferenceJob[]): string[] {
  if (jobs.length === 1) return jobs[0]!.outputNames;
  return [...new Set(jobs.flatMap((job) => job.outputNames))];
}

import { startBenchChild } from './bench-child.ts';
import type {
  ConcurrentJob,
  ConcurrentResult,
  LoadJob,
  LoadResult,
  SequentialJob,
  SequentialResult,
} from './load-client.ts';
import type { OpenLoopJob, OpenLoopResult } from './open-loop.ts';
import type { RawJob, RawResult } from './raw-onnxruntime.ts';

/** The load-client child process, with a typed call per job kind. */
export type LoadClient = {
  sequential(job: Omit<SequentialJob, 'kind'>): Promise<SequentialResult>;
  concurrent(job: Omit<ConcurrentJob, 'kind'>): Promise<ConcurrentResult>;
  open(job: Omit<OpenLoopJob, 'kind'>): Promise<OpenLoopResult>;
  close(): Promise<void>;
};

/** The raw onnxruntime child process. */
export type RawRunner = { run(job: RawJob): Promise<RawResult>; close(): Promise<void> };

/** Starts load-client-child.ts pinned to `cpus`. */
export function startLoadClient(cpus: string | undefined): LoadClient {
  const child = startBenchChild<LoadJob, LoadResult>(new URL('./load-client-child.ts', import.meta.url), cpus);
  return {
    sequential: (job) => child.run({ kind: 'sequential', ...job }) as Promise<SequentialResult>,
    concurrent: (job) => child.run({ kind: 'concurrent', ...job }) as Promise<ConcurrentResult>,
    open: (job) => child.run({ kind: 'open', ...job }) as Promise<OpenLoopResult>,
    close: () => child.close(),
  };
}

/** Starts raw-onnxruntime-child.ts pinned to `cpus`. */
export function startRawRunner(cpus: string | undefined): RawRunner {
  const child = startBenchChild<RawJob, RawResult>(new URL('./raw-onnxruntime-child.ts', import.meta.url), cpus);
  return { run: (job) => child.run(job), close: () => child.close() };
}

/** Stops everything started, even when some stops fail, and rethrows the first failure. */
export async function stopAll(
  resources: readonly ({ close(): Promise<void> } | { stop(): Promise<void> })[],
): Promise<void> {
  const outcomes = await Promise.allSettled(
    resources.map((resource) => ('close' in resource ? resource.close() : resource.stop())),
  );
  const failed = outcomes.find((outcome) => outcome.status === 'rejected');
  if (failed !== undefined) throw failed.reason;
}

/** What the scheduler knows when a worker is free and the queue holds less than a full batch. */
export type HoldState = {
  /** Rows waiting (that would stack into the next batch). */
  queuedRows: number;
  maxBatchSize: number;
  /** Batches running on other workers now: without them nothing is going on, and nothing is worth waiting for. */
  runningBatches: number;
  /** How long the oldest queued request has waited, in milliseconds. */
  waitedMs: number;
  /** Recent arrival rate of rows, per millisecond. */
  arrivalRowsPerMs: number;
  /** Cost of a run beyond its rows, in milliseconds (see BatchCostModel). */
  fixedMs: number;
  /** Least time any queued request can still wait and be run and answered by its deadline, in milliseconds. */
  slackMs: number;
};

/**
 * How much longer a free worker should wait for more rows before it runs what is queued, in milliseconds (0: run
 * now). A run pays its fixed cost once for all its rows, so waiting pays while fewer rows are queued than arrive
 * during one fixed cost (`arrivalRowsPerMs × fixedMs`): a run started now would pay that cost for rows that a short
 * wait would have let share it. The wait never exceeds one fixed cost (past that, a second run is cheaper than the
 * wait), never eats into a request's deadline, and never happens when no other batch is running: a lone request at
 * low load, or the first of a burst, runs at once.
 */
export function holdMs(state: HoldState): number {
  if (state.maxBatchSize <= 1 || state.queuedRows >= state.maxBatchSize || state.runningBatches === 0) return 0;
  if (!(state.fixedMs > 0) || !(state.arrivalRowsPerMs > 0)) return 0;
  const worthRows = Math.min(state.maxBatchSize, state.arrivalRowsPerMs * state.fixedMs);
  if (state.queuedRows >= worthRows) return 0;
  const untilWorthMs = (worthRows - state.queuedRows) / state.arrivalRowsPerMs;
  const leftMs = Math.min(state.fixedMs - state.waitedMs, state.slackMs);
  return leftMs <= 0 ? 0 : Math.min(leftMs, untilWorthMs);
}

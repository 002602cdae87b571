/** `scorer_batch_rows` of one model: how many runs had how many rows. */
export type BatchHistogram = {
  /** Runs per bucket, not cumulative: `le` is the bucket's upper bound in rows (`+Inf` for the last). */
  buckets: { le: string; runs: number }[];
  runs: number;
  rows: number;
};

const SERIES = /^scorer_batch_rows_(bucket|sum|count)\{([^}]*)\} (\S+)$/;

/**
 * Reads one model's `scorer_batch_rows` histogram from a Prometheus text exposition (cumulative, as scraped).
 * Returns an empty histogram when the model has not run yet.
 */
export function parseBatchHistogram(exposition: string, model: string): BatchHistogram {
  const cumulative: { le: string; runs: number }[] = [];
  let runs = 0;
  let rows = 0;
  for (const line of exposition.split('\n')) {
    const match = SERIES.exec(line);
    if (match === null) continue;
    const [, series, labelText, value] = match;
    const labels = new Map([...labelText!.matchAll(/(\w+)="([^"]*)"/g)].map(([, key, text]) => [key, text]));
    if (labels.get('model') !== model) continue;
    if (series === 'bucket') cumulative.push({ le: labels.get('le') ?? '+Inf', runs: Number(value) });
    else if (series === 'sum') rows = Number(value);
    else runs = Number(value);
  }
  return { buckets: cumulative, runs, rows };
}

/**
 * The runs between two scrapes of the same histogram, with each bucket holding only its own runs (`le` = the
 * largest batch size it holds). Buckets that saw no run are dropped.
 */
export function batchesBetween(before: BatchHistogram, after: BatchHistogram): BatchHistogram {
  const start = new Map(before.buckets.map((bucket) => [bucket.le, bucket.runs]));
  const buckets: BatchHistogram['buckets'] = [];
  let below = 0;
  for (const bucket of after.buckets) {
    const cumulative = bucket.runs - (start.get(bucket.le) ?? 0);
    if (cumulative - below > 0) buckets.push({ le: bucket.le, runs: cumulative - below });
    below = cumulative;
  }
  return { buckets, runs: after.runs - before.runs, rows: after.rows - before.rows };
}

/** Adds up histograms of separate windows (e.g. one per round); missing ones count as empty. */
export function sumBatchHistograms(histograms: readonly (BatchHistogram | undefined)[]): BatchHistogram {
  const runsByBucket = new Map<string, number>();
  let runs = 0;
  let rows = 0;
  for (const histogram of histograms) {
    if (histogram === undefined) continue;
    for (const { le, runs: count } of histogram.buckets) runsByBucket.set(le, (runsByBucket.get(le) ?? 0) + count);
    runs += histogram.runs;
    rows += histogram.rows;
  }
  const buckets = [...runsByBucket].map(([le, count]) => ({ le, runs: count }));
  buckets.sort((a, b) => upperBound(a.le) - upperBound(b.le));
  return { buckets, runs, rows };
}

function upperBound(le: string): number {
  return le === '+Inf' ? Number.POSITIVE_INFINITY : Number(le);
}

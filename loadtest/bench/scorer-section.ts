import type { BatchHistogram } from './batch-histogram.ts';
import { formatCount, formatMiB, formatMs, formatRatio, formatUs } from './figure-format.ts';
import { markdownTable, provenance, targetsTable } from './markdown.ts';
import type { ScorerResults } from './scorer-results.ts';
import { cpuOverheadUs } from './scorer-targets.ts';
import type { ServerFigures } from './suites/sequential-latency.ts';

/** The scorer's section of BENCHMARKS.md, from one run's results. */
export function renderScorerSection(results: ScorerResults): string {
  const source = provenance(results.command, results.machine);
  const table = (markdown: string) => `${markdown}\n\n${source}`;
  return [
    '## Scorer',
    `Run: \`${results.command}\` (${results.profile} profile, ${Math.round(results.durationS)} s) on ` +
      `${results.machine.cpuModel}, ${results.machine.cores} cores, Node ${results.machine.node}, ` +
      `${results.machine.os}, ${results.machine.date}.` +
      (results.profile === 'quick' ? ' Quick profile: one short round per figure, targets not checked.' : ''),
    method(results),
    '### Targets',
    table(targetsTable(results.targets)),
    '### Single-row latency',
    `One request at a time over one keep-alive connection (scorer ` +
      `${results.sequential.scorerSettings}). Raw is \`await session.run()\` in-process with the same session ` +
      'settings as a scorer worker; the HTTP floor is a bare node:http server that parses the same JSON body and ' +
      `answers a fixed small JSON. Medians over ${rounds(results.sequential.rounds)} of each round's p50/p99. ` +
      `Models: ${results.sequential.models.map((entry) => `${entry.model} (${entry.description})`).join('; ')}.`,
    table(latency(results)),
    '### CPU per single-row request',
    'CPU time of the server process over the timed requests, from `/proc/<pid>/task/*/schedstat`, divided by the ' +
      'requests; main = the JavaScript thread, workers = the inference worker threads, other = GC, compiler and ' +
      'libuv threads. Overhead = scorer − HTTP floor − raw onnxruntime CPU per run (all threads of the raw process).',
    table(cpu(results)),
    '### Throughput with concurrent single-row clients',
    'Each client sends its next request when its last is answered; ' +
      `medians over ${rounds(results.throughput.rounds)}. CPUs = cores a process kept busy in the window; ` +
      'others’ = the rest of the machine (/proc/stat busy time minus scorer and client): the noise it ran under.',
    table(throughput(results)),
    table(ceilings(results)),
    '### Batch sizes under load (`scorer_batch_rows`)',
    'Runs per batch-size bucket of the scorer histogram between the ends of each window, summed over rounds.',
    table(batches(results)),
    '### Liveness while every worker is busy',
    `\`GET /v2/health/live\` one at a time on its own connection every ${results.liveness.probeIntervalMs} ms, ` +
      `idle and while ${results.liveness.connections} clients keep ${results.liveness.model} busy; ` +
      `medians over ${rounds(results.liveness.rounds)}.`,
    table(liveness(results)),
    '### Cold start and memory',
    `Spawn of \`node services/scorer/src/main.ts\` to its \`ready\` log line and RSS ${results.coldStart.settleMs} ms ` +
      `later, SCORER_INSTANCES=${results.coldStart.instances}; medians over ${rounds(results.coldStart.spawns)}. ` +
      `An empty repository: ${results.coldStart.emptyRepository}, so "no model" is derived: ` +
      'base = (Σ RSS(each model alone) − RSS(all together)) / (n − 1); per model = RSS(alone) − base.',
    table(coldStart(results)),
  ].join('\n\n');
}

function method(results: ScorerResults): string {
  return [
    'How: the scorer runs as a child process; a separate Node process drives it with undici (keep-alive, ',
    'pipelining 1) and reads its CPU from /proc; raw onnxruntime runs in a third process placed like the scorer. ',
    `Measurements of one kind run in interleaved rounds so noise on the shared ${results.machine.cores}-core `,
    `machine spreads over all of them, and figures are medians over rounds. CPUs: ${results.layout}.`,
  ].join('');
}

function rounds(count: number): string {
  return count === 1 ? 'a single round' : `${count} interleaved rounds`;
}

function latency(results: ScorerResults): string {
  const { sequential } = results;
  const floor = sequential.floor;
  const rows: string[][] = [];
  for (const entry of sequential.models) {
    const { raw } = entry;
    rows.push([
      entry.model,
      'raw session.run',
      formatMs(raw.p50Ms),
      formatMs(raw.p99Ms),
      '1×',
      '',
      formatCount(raw.runs),
    ]);
    for (const [encoding, figures] of Object.entries(entry.scorer)) {
      rows.push([
        entry.model,
        `scorer, ${encoding}`,
        formatMs(figures.p50Ms),
        formatMs(figures.p99Ms),
        `${formatRatio(figures.p50Ms / raw.p50Ms)} / ${formatRatio(figures.p99Ms / raw.p99Ms)}`,
        formatMs(figures.p50Ms - floor.p50Ms - raw.p50Ms),
        count(figures),
      ]);
    }
  }
  rows.push([
    '—',
    'HTTP floor (node:http + JSON.parse)',
    formatMs(floor.p50Ms),
    formatMs(floor.p99Ms),
    '',
    '',
    count(floor),
  ]);
  return markdownTable(
    ['Model', 'Path', 'p50', 'p99', 'vs raw (p50 / p99)', 'Scorer’s own p50 (− floor − raw)', 'Requests'],
    rows,
    [2, 3, 4, 5, 6],
  );
}

function count(figures: ServerFigures): string {
  return figures.failures > 0
    ? `${formatCount(figures.requests)} (${figures.failures} failed)`
    : formatCount(figures.requests);
}

function cpu(results: ScorerResults): string {
  const { sequential } = results;
  const rows: string[][] = [];
  for (const entry of sequential.models) {
    for (const [encoding, figures] of Object.entries(entry.scorer)) {
      const { mainUs, workerUs, otherUs, totalUs } = figures.cpuPerRequestUs;
      const overhead = encoding === 'json' ? formatUs(cpuOverheadUs(results, entry.model)) : '';
      rows.push([
        `${entry.model} (${encoding})`,
        formatUs(totalUs),
        formatUs(mainUs),
        formatUs(workerUs),
        formatUs(otherUs),
        formatUs(sequential.floor.cpuPerRequestUs.totalUs),
        formatUs(entry.raw.cpuPerRunUs),
        overhead,
      ]);
    }
  }
  return markdownTable(
    ['Scorer request', 'Scorer CPU', 'main', 'workers', 'other', 'HTTP floor CPU', 'Raw CPU per run', 'Overhead'],
    rows,
    [1, 2, 3, 4, 5, 6, 7],
  );
}

function throughput(results: ScorerResults): string {
  const rows: string[][] = [];
  for (const entry of results.throughput.models) {
    for (const run of entry.scorer) {
      const cores = run.serverCores;
      rows.push([
        entry.model,
        `${run.variant} (${run.settings})`,
        String(run.connections),
        formatCount(run.rowsPerSecond),
        formatRatio(run.rowsPerSecond / entry.raw.batch1RowsPerSecond),
        formatMs(run.p50Ms),
        formatMs(run.p99Ms),
        meanBatch(run.batches),
        `${cores.main.toFixed(2)} / ${cores.worker.toFixed(2)} / ${cores.total.toFixed(2)}`,
        run.clientCores.toFixed(2),
        run.othersCores.toFixed(2),
        String(run.failures),
      ]);
    }
  }
  return markdownTable(
    [
      'Model',
      'Scorer settings',
      'Clients',
      'Rows/s',
      '× raw batch 1',
      'p50',
      'p99',
      'Mean batch',
      'Scorer CPUs main / workers / total',
      'Client CPUs',
      'Others’ CPUs',
      'Failed',
    ],
    rows,
    [2, 3, 4, 5, 6, 7, 9, 10, 11],
  );
}

function ceilings(results: ScorerResults): string {
  const { throughput: figures } = results;
  const batchSizes = figures.models[0]?.raw.batched.map((entry) => entry.batchSize) ?? [];
  const raw = markdownTable(
    ['Raw onnxruntime, one session, in-process', 'Batch 1 rows/s', ...batchSizes.map((size) => `Batch ${size} rows/s`)],
    figures.models.map((entry) => [
      entry.model,
      formatCount(entry.raw.batch1RowsPerSecond),
      ...entry.raw.batched.map((batched) => formatCount(batched.rowsPerSecond)),
    ]),
    [1, ...batchSizes.map((_, i) => i + 2)],
  );
  const floor = markdownTable(
    [
      'HTTP floor (node:http + JSON.parse), clients',
      'Requests/s',
      'p50',
      'p99',
      'Server CPUs',
      'Client CPUs',
      'Others’ CPUs',
    ],
    figures.floor.map((entry) => [
      String(entry.connections),
      formatCount(entry.requestsPerSecond),
      formatMs(entry.p50Ms),
      formatMs(entry.p99Ms),
      entry.cores.toFixed(2),
      entry.clientCores.toFixed(2),
      entry.othersCores.toFixed(2),
    ]),
    [0, 1, 2, 3, 4, 5, 6],
  );
  return `${raw}\n\n${floor}`;
}

function batches(results: ScorerResults): string {
  const rows: string[][] = [];
  for (const entry of results.throughput.models) {
    for (const run of entry.scorer) {
      rows.push([entry.model, run.variant, String(run.connections), histogram(run.batches), meanBatch(run.batches)]);
    }
  }
  for (const variant of results.liveness.variants) {
    rows.push([
      results.liveness.model,
      variant.variant,
      String(results.liveness.connections),
      histogram(variant.batches),
      meanBatch(variant.batches),
    ]);
  }
  return markdownTable(
    ['Model', 'Scorer settings', 'Clients', 'Runs by rows (≤ bucket: runs)', 'Mean rows'],
    rows,
    [2, 4],
  );
}

function histogram(batches: BatchHistogram): string {
  return batches.buckets.map((bucket) => `≤${bucket.le}: ${bucket.runs}`).join(', ') || 'no runs';
}

function meanBatch(batches: BatchHistogram): string {
  return batches.runs > 0 ? (batches.rows / batches.runs).toFixed(1) : 'n/a';
}

function liveness(results: ScorerResults): string {
  return markdownTable(
    [
      'Scorer settings',
      'Idle p50',
      'Idle p99',
      'Saturated p50',
      'Saturated p99',
      'Probes',
      'Load rows/s',
      'Scorer CPUs main / workers',
      'Others’ CPUs',
    ],
    results.liveness.variants.map((variant) => [
      `${variant.variant} (${variant.settings})`,
      formatMs(variant.idle.p50Ms),
      formatMs(variant.idle.p99Ms),
      formatMs(variant.saturated.p50Ms),
      formatMs(variant.saturated.p99Ms),
      formatCount(variant.saturated.samples),
      formatCount(variant.loadRowsPerSecond),
      `${variant.mainCores.toFixed(2)} / ${variant.workerCores.toFixed(2)}`,
      variant.othersCores.toFixed(2),
    ]),
    [1, 2, 3, 4, 5, 6, 7, 8],
  );
}

function coldStart(results: ScorerResults): string {
  const { coldStart: figures } = results;
  const rows = figures.repositories.map((repository) => [
    repository.models.join(' + '),
    formatMs(repository.spawnToReadyMs),
    `${formatCount(repository.startupMs)} ms`,
    formatMiB(repository.rssMiB),
  ]);
  rows.push(['none (derived)', '', '', formatMiB(figures.baseRssMiB)]);
  const perModel = figures.perModel.map((entry) => [entry.model, formatMiB(entry.rssMiB)]);
  return [
    markdownTable(['Repository', 'Spawn → ready', 'Scorer startupMs', 'RSS after ready'], rows, [1, 2, 3]),
    markdownTable(['Model', 'RSS per loaded model (derived)'], perModel, [1]),
  ].join('\n\n');
}

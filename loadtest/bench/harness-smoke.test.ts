// The harness end to end in its quick profile (every benchmark, the comparison included, about a second per
// figure), into a temporary directory: files written, sections and tables present, the chart a well-formed SVG with
// every series. No threshold on any speed.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { ComparisonResults } from './comparison-bench.ts';
import { chartSeriesNames } from './latency-chart.ts';

const MAIN = fileURLToPath(new URL('./main.ts', import.meta.url));

function runHarness(args: readonly string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [MAIN, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, stderr }));
  });
}

/** Every opened tag is closed in order (enough to catch a broken SVG writer without an XML parser). */
function assertWellFormed(xml: string): void {
  const stack: string[] = [];
  for (const match of xml.matchAll(/<(\/?)([a-zA-Z][\w-]*)[^>]*?(\/?)>/g)) {
    const [, closing, name, selfClosing] = match;
    if (selfClosing === '/') continue;
    if (closing === '/') assert.equal(stack.pop(), name, `</${name}> closes the wrong element`);
    else stack.push(name!);
  }
  assert.deepEqual(stack, [], 'unclosed elements');
}

test(
  'pnpm bench -- --quick writes every results file, BENCHMARKS.md and the latency chart',
  { timeout: 150_000 },
  async () => {
    const out = await mkdtemp(path.join(tmpdir(), 'splitserve-bench-smoke-'));
    try {
      const run = await runHarness(['--quick', '--out', out]);
      assert.equal(run.code, 0, run.stderr.slice(-4000));
      const results = path.join(out, 'results');
      for (const kind of ['scorer', 'gateway', 'comparison']) {
        const parsed = JSON.parse(await readFile(path.join(results, `${kind}.json`), 'utf8')) as { kind: string };
        assert.equal(parsed.kind, kind);
      }
      const comparison = JSON.parse(await readFile(path.join(results, 'comparison.json'), 'utf8')) as ComparisonResults;
      assert.deepEqual(
        comparison.upstreams.map((u) => u.upstreamLatencyMs),
        [20, 70],
      );
      for (const upstream of comparison.upstreams) {
        for (const point of upstream.points) {
          for (const side of [point.monolith, point.split]) {
            assert.ok(side.goodputPerSecond > 0 && side.p50Ms > 0 && side.p99Ms >= side.p50Ms, JSON.stringify(side));
          }
        }
      }

      const document = await readFile(path.join(out, 'BENCHMARKS.md'), 'utf8');
      for (const heading of ['## Monolith vs split', '## Scorer', '## Gateway', '## Capacity plan']) {
        assert.ok(document.includes(`\n${heading}\n`), `BENCHMARKS.md lacks ${heading}`);
      }
      assert.match(document, /### 20 ms upstreams[\s\S]*?\| --- \|/);
      assert.match(document, /### 70 ms upstreams[\s\S]*?\| --- \|/);
      assert.match(document, /\*\*\d+ × 4 vCPU\*\*/, 'the capacity plan names the scorer instances');
      const link = /!\[[^\]]*\]\(([^)]+\.svg)\)/.exec(document)?.[1];
      assert.ok(link !== undefined, 'BENCHMARKS.md embeds the chart');
      const chartFile = path.resolve(out, link);
      assert.ok((await stat(chartFile)).size > 0);

      const svg = await readFile(chartFile, 'utf8');
      assert.match(svg, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
      assertWellFormed(svg);
      const series = [...svg.matchAll(/data-series="([^"]+)"/g)].map((m) => m[1]);
      assert.deepEqual(series.sort(), chartSeriesNames(comparison).sort());
      assert.equal(series.length, 8, 'p50 and p99 of both architectures at both upstream latencies');
      for (const label of ['offered load', 'log scale', 'monolith p99', 'split p50'])
        assert.ok(svg.includes(label), label);
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  },
);

// The latency-vs-load chart of the monolith-vs-split comparison, as a standalone SVG (no charting dependency).
import type { ComparisonResults } from './comparison-bench.ts';
import type { Architecture } from './comparison-stack.ts';
import { HELD_OK_SHARE } from './comparison-figures.ts';

const PANEL = { width: 440, height: 300, left: 64, right: 16, top: 46, bottom: 52 };
const LEGEND_HEIGHT = 58;
const COLOURS: Record<Architecture, string> = { monolith: '#d95f02', split: '#1b6ac9' };
const LABELS: Record<Architecture, string> = { monolith: 'monolith', split: 'split' };
const PERCENTILES = [
  { key: 'p99Ms', label: 'p99', dash: '' },
  { key: 'p50Ms', label: 'p50', dash: '6 4' },
] as const;

/** Series names in the chart, for tests: `<architecture> <percentile> <upstream> ms`. */
export function chartSeriesNames(results: ComparisonResults): string[] {
  return results.upstreams.flatMap((u) =>
    (['monolith', 'split'] as const).flatMap((a) =>
      PERCENTILES.map((p) => `${a} ${p.label} ${u.upstreamLatencyMs} ms`),
    ),
  );
}

/**
 * One panel per upstream latency, side by side: p50 (dashed) and p99 (solid) of the 2xx answers against offered
 * requests per second, monolith and split, latency on a log scale. A hollow marker is a rate where fewer than 99 %
 * of the requests due were answered 2xx; a dotted line marks upstream latency + 3 ms of model.
 */
export function renderLatencyChart(results: ComparisonResults): string {
  const panels = results.upstreams;
  const width = PANEL.width * panels.length;
  const height = PANEL.height + LEGEND_HEIGHT;
  const rates = panels.flatMap((u) => u.points.map((p) => p.ratePerSecond));
  const latencies = panels.flatMap((u) =>
    u.points.flatMap((p) => [p.monolith.p50Ms, p.monolith.p99Ms, p.split.p50Ms, p.split.p99Ms]),
  );
  const xMax = niceCeiling(Math.max(...rates));
  const finite = latencies.filter((v) => Number.isFinite(v) && v > 0);
  const yMin = 10 ** Math.floor(Math.log10(Math.min(...finite, 10)));
  const yMax = niceLogCeiling(Math.max(...finite, 100));
  const body = panels.map((upstream, i) => panel(upstream, i * PANEL.width, xMax, yMin, yMax)).join('\n');
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" ` +
      `font-family="Helvetica, Arial, sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    body,
    legend(PANEL.left, PANEL.height + 8),
    '</svg>',
    '',
  ].join('\n');
}

function panel(upstream: ComparisonResults['upstreams'][number], x0: number, xMax: number, yMin: number, yMax: number) {
  const plotW = PANEL.width - PANEL.left - PANEL.right;
  const plotH = PANEL.height - PANEL.top - PANEL.bottom;
  const left = x0 + PANEL.left;
  const x = (rate: number) => left + (rate / xMax) * plotW;
  const y = (ms: number) =>
    PANEL.top + plotH - ((Math.log10(ms) - Math.log10(yMin)) / (Math.log10(yMax) - Math.log10(yMin))) * plotH;
  const parts: string[] = [
    `<text x="${left + plotW / 2}" y="${PANEL.top - 22}" text-anchor="middle" font-size="14" font-weight="bold">` +
      `${upstream.upstreamLatencyMs} ms upstreams (±${upstream.jitterMs} ms)</text>`,
  ];
  for (let tick = 0; tick <= xMax; tick += xStep(xMax)) {
    parts.push(line(x(tick), PANEL.top, x(tick), PANEL.top + plotH, '#e4e4e4'));
    parts.push(text(x(tick), PANEL.top + plotH + 16, String(tick), 'middle'));
  }
  for (let decade = yMin; decade <= yMax; decade *= 10) {
    for (const factor of [1, 2, 5]) {
      const ms = decade * factor;
      if (ms > yMax * 1.0001) break;
      parts.push(line(left, y(ms), left + plotW, y(ms), factor === 1 ? '#cfcfcf' : '#eeeeee'));
      parts.push(text(left - 6, y(ms) + 4, formatTick(ms), 'end'));
    }
  }
  const reference = upstream.upstreamLatencyMs + 3;
  parts.push(
    `<line x1="${left}" y1="${y(reference)}" x2="${left + plotW}" y2="${y(reference)}" stroke="#555" ` +
      `stroke-dasharray="1 3"/>`,
  );
  parts.push(text(left + 4, y(reference) + 14, 'upstream + model', 'start', '#555'));
  parts.push(`<rect x="${left}" y="${PANEL.top}" width="${plotW}" height="${plotH}" fill="none" stroke="#888"/>`);
  parts.push(text(left + plotW / 2, PANEL.top + plotH + 36, 'offered load (requests/s, open loop)', 'middle'));
  parts.push(
    `<text transform="translate(${x0 + 16} ${PANEL.top + plotH / 2}) rotate(-90)" text-anchor="middle">` +
      'latency of 2xx answers (ms, log scale)</text>',
  );
  for (const architecture of ['monolith', 'split'] as const) {
    for (const percentile of PERCENTILES) {
      const points = upstream.points
        .map((p) => ({ rate: p.ratePerSecond, ms: p[architecture][percentile.key], ok: p[architecture].okShare }))
        .filter((p) => Number.isFinite(p.ms) && p.ms > 0);
      const colour = COLOURS[architecture];
      const name = `${architecture} ${percentile.label} ${upstream.upstreamLatencyMs} ms`;
      parts.push(
        `<g data-series="${name}"><polyline fill="none" stroke="${colour}" stroke-width="2" ` +
          `${percentile.dash === '' ? '' : `stroke-dasharray="${percentile.dash}" `}` +
          `points="${points.map((p) => `${x(p.rate).toFixed(1)},${y(p.ms).toFixed(1)}`).join(' ')}"/>`,
      );
      for (const p of points) {
        const fill = p.ok >= HELD_OK_SHARE ? colour : '#ffffff';
        parts.push(
          `<circle cx="${x(p.rate).toFixed(1)}" cy="${y(p.ms).toFixed(1)}" r="3.5" fill="${fill}" stroke="${colour}" ` +
            `stroke-width="1.5"/>`,
        );
      }
      parts.push('</g>');
    }
  }
  return parts.join('\n');
}

function legend(x0: number, y0: number): string {
  const parts: string[] = [];
  let x = x0;
  for (const architecture of ['monolith', 'split'] as const) {
    for (const percentile of PERCENTILES) {
      const colour = COLOURS[architecture];
      const dash = percentile.dash === '' ? '' : ` stroke-dasharray="${percentile.dash}"`;
      parts.push(
        `<line x1="${x}" y1="${y0 + 10}" x2="${x + 28}" y2="${y0 + 10}" stroke="${colour}" stroke-width="2"${dash}/>`,
      );
      parts.push(text(x + 34, y0 + 14, `${LABELS[architecture]} ${percentile.label}`, 'start'));
      x += 150;
    }
  }
  parts.push(`<circle cx="${x0 + 14}" cy="${y0 + 34}" r="3.5" fill="#ffffff" stroke="#333" stroke-width="1.5"/>`);
  parts.push(
    text(x0 + 34, y0 + 38, `hollow: under ${HELD_OK_SHARE * 100} % of the requests due answered 2xx`, 'start'),
  );
  return parts.join('\n');
}

const line = (x1: number, y1: number, x2: number, y2: number, stroke: string) =>
  `<line x1="${x1.toFixed(1)}" y1="${y1.toFixed(1)}" x2="${x2.toFixed(1)}" y2="${y2.toFixed(1)}" stroke="${stroke}"/>`;

const text = (x: number, y: number, content: string, anchor: string, fill = '#222') =>
  `<text x="${x.toFixed(1)}" y="${y.toFixed(1)}" text-anchor="${anchor}" fill="${fill}">${content}</text>`;

const formatTick = (ms: number) => (ms >= 1000 ? `${ms / 1000} s` : String(ms));

/** The smallest 1, 2 or 5 × a power of ten at or above `value`. */
function niceLogCeiling(value: number): number {
  const decade = 10 ** Math.floor(Math.log10(value));
  return [1, 2, 5, 10].map((f) => f * decade).find((candidate) => candidate >= value)!;
}

function niceCeiling(value: number): number {
  const step = xStep(value);
  return Math.ceil(value / step) * step;
}

function xStep(value: number): number {
  const magnitude = 10 ** Math.floor(Math.log10(Math.max(1, value)));
  return value / magnitude > 5 ? magnitude : magnitude / 2;
}

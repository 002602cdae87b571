// Markdown building blocks for BENCHMARKS.md.
import type { Machine } from './machine.ts';
import type { TargetCheck } from './scorer-targets.ts';

/** A GitHub-flavoured table; the columns listed in `numeric` (by index) are right-aligned. */
export function markdownTable(
  headers: readonly string[],
  rows: readonly (readonly string[])[],
  numeric: readonly number[] = [],
): string {
  const align = headers.map((_, i) => (numeric.includes(i) ? '---:' : '---'));
  const line = (cells: readonly string[]) => `| ${cells.map((cell) => cell.replaceAll('|', '\\|')).join(' | ')} |`;
  return [line(headers), line(align), ...rows.map(line)].join('\n');
}

/**
 * The line under every table: the command and machine that produced its figures, so a figure quoted alone can
 * still be traced.
 */
export function provenance(command: string, machine: Machine): string {
  const date = machine.date.replace('T', ' ').replace(/\.\d+Z$/, ' UTC');
  return (
    `<sub>\`${command}\` · ${machine.cpuModel} · ${machine.cores} cores · Node ${machine.node} · ` +
    `${machine.os} · ${date}</sub>`
  );
}

/** The targets of a benchmark with their figures and verdicts. */
export function targetsTable(checks: readonly TargetCheck[]): string {
  const verdict = (holds: boolean | undefined) =>
    holds === undefined ? 'not checked' : holds ? '✅ holds' : '❌ misses';
  return markdownTable(
    ['Target', 'Measured', 'Verdict'],
    checks.map((check) => [check.target, check.measured, verdict(check.holds)]),
  );
}

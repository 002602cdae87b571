import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderBenchmarks } from './benchmarks-document.ts';
import { markdownTable } from './markdown.ts';

test('results of a kind without a renderer get a placeholder section instead of failing the document', () => {
  const document = renderBenchmarks([{ kind: 'frontend' }]);
  assert.match(document, /^# Benchmarks/);
  assert.match(document, /## frontend\n\nNo renderer for results of kind `frontend` yet\./);
});

test('a document without results says how to produce them', () => {
  assert.match(renderBenchmarks([]), /No results yet: run `pnpm bench`\./);
});

test('tables right-align the numeric columns and escape pipes in cells', () => {
  assert.equal(
    markdownTable(['Name', 'Rows/s'], [['a|b', '1,000']], [1]),
    '| Name | Rows/s |\n| --- | ---: |\n| a\\|b | 1,000 |',
  );
});

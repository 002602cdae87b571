import assert from 'node:assert/strict';
import { test } from 'node:test';
import { benchOptions } from './bench-options.ts';

test('by default every benchmark runs in full', () => {
  assert.deepEqual(benchOptions([], {}), {
    quick: false,
    only: ['scorer', 'gateway', 'comparison'],
    outDir: undefined,
    command: 'pnpm bench',
  });
});

test('--quick or BENCH_QUICK=1 asks for the quick profile', () => {
  assert.equal(benchOptions(['--', '--quick'], {}).quick, true);
  assert.equal(benchOptions([], { BENCH_QUICK: '1' }).command, 'pnpm bench -- --quick');
});

test('--only picks benchmarks in either spelling, run in their usual order', () => {
  assert.deepEqual(benchOptions(['--only', 'gateway'], {}).only, ['gateway']);
  assert.deepEqual(benchOptions(['--only=gateway,scorer', '--quick'], {}), {
    quick: true,
    only: ['scorer', 'gateway'],
    outDir: undefined,
    command: 'pnpm bench -- --quick --only scorer,gateway',
  });
});

test('--out sends the results and the document to another directory', () => {
  assert.equal(benchOptions(['--quick', '--out', '/tmp/x'], {}).outDir, '/tmp/x');
  assert.throws(() => benchOptions(['--out'], {}), /--out takes a directory/);
  assert.throws(() => benchOptions(['--out', '--quick'], {}), /--out takes a directory/);
});

test('an unknown or missing benchmark name is refused', () => {
  assert.throws(() => benchOptions(['--only', 'gatway'], {}), /--only takes/);
  assert.throws(() => benchOptions(['--only'], {}), /--only takes/);
});

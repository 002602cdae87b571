import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runInterleaved, runPairedRounds } from './interleaved-rounds.ts';

test('each round starts one window further along, and results come back per window in round order', async () => {
  const order: string[] = [];
  let call = 0;
  const windows = ['a', 'b', 'c'].map((key) => ({ key, run: () => Promise.resolve(`${key}${call++}`) }));
  const results = await runInterleaved(3, windows, (key) => order.push(key));
  assert.deepEqual(order, ['a', 'b', 'c', 'b', 'c', 'a', 'c', 'a', 'b']);
  assert.deepEqual(results.get('a'), ['a0', 'a5', 'a7']);
});

test('paired windows run back to back, the pair order rotates and the side that goes first alternates', async () => {
  const order: string[] = [];
  const window = (key: string) => ({ key, run: () => Promise.resolve(`${key}${order.length}`) });
  const pairs = [
    [window('g1'), window('f1')],
    [window('g2'), window('f2')],
  ] as const;
  const results = await runPairedRounds(3, pairs, (key) => order.push(key));
  assert.deepEqual(order, ['g1', 'f1', 'g2', 'f2', 'f2', 'g2', 'f1', 'g1', 'g1', 'f1', 'g2', 'f2']);
  assert.deepEqual(results.get('g1'), ['g11', 'g18', 'g19']);
});

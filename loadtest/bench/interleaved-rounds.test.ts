import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runInterleaved } from './interleaved-rounds.ts';

test('each round starts one window further along, and results come back per window in round order', async () => {
  const order: string[] = [];
  let call = 0;
  const windows = ['a', 'b', 'c'].map((key) => ({ key, run: () => Promise.resolve(`${key}${call++}`) }));
  const results = await runInterleaved(3, windows, (key) => order.push(key));
  assert.deepEqual(order, ['a', 'b', 'c', 'b', 'c', 'a', 'c', 'a', 'b']);
  assert.deepEqual(results.get('a'), ['a0', 'a5', 'a7']);
});

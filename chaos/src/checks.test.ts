import assert from 'node:assert/strict';
import { test } from 'node:test';
import { deadlineChecks } from './checks.ts';
import { summarizeLoad } from './figures.ts';
import type { LoadResult } from './open-loop.ts';

const outcomes = Array.from({ length: 100 }, (_, i) => ({ sentAt: i * 10, status: 504, latencyMs: 205 }));
const figures = summarizeLoad(outcomes as LoadResult['outcomes'], 200);
const serverCheck = (result: Omit<LoadResult, 'outcomes'>, above: number) =>
  deadlineChecks(figures, 200, { outcomes: [], ...result }, { count: 100, above }).find((c) =>
    c.name.startsWith('server'),
  )!;

test('a late answer at the server fails the deadline check', () => {
  assert.equal(serverCheck({ clientStallMs: 3, serverStallMs: 2 }, 0).pass, true);
  assert.equal(serverCheck({ clientStallMs: 3, serverStallMs: 2 }, 1).pass, false);
  // One process stalling is not the machine stalling: the server's own stall excuses nothing.
  assert.equal(serverCheck({ clientStallMs: 3, serverStallMs: 300 }, 1).pass, false);
  assert.equal(serverCheck({ clientStallMs: 300, serverStallMs: 3 }, 1).pass, false);
});

test('a few late answers are excused only when client and server stalled alike, and said so', () => {
  const excused = serverCheck({ clientStallMs: 58, serverStallMs: 52 }, 2);
  assert.equal(excused.pass, true);
  assert.match(excused.detail, /the machine stalled/);
  assert.equal(serverCheck({ clientStallMs: 58, serverStallMs: 52 }, 3).pass, false, 'more than 2% late');
});

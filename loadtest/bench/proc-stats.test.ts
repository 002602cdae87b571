import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { cpuBetween, cpuPer, readRssBytes, readThreadCpu } from './proc-stats.ts';

test('CPU between samples is grouped by thread name, and threads born in between count from zero', () => {
  const before = [
    { tid: 1, name: 'MainThread', cpuNs: 1_000 },
    { tid: 2, name: 'WorkerThread', cpuNs: 500 },
  ];
  const after = [
    { tid: 1, name: 'MainThread', cpuNs: 1_600 },
    { tid: 2, name: 'WorkerThread', cpuNs: 900 },
    { tid: 3, name: 'V8Worker', cpuNs: 200 },
  ];
  const split = cpuBetween(before, after);
  assert.deepEqual(split, { mainNs: 600, workerNs: 400, otherNs: 200, totalNs: 1_200 });
  assert.deepEqual(cpuPer(split, 4), { mainNs: 150, workerNs: 100, otherNs: 50, totalNs: 300 });
});

test('this process reads its own threads and RSS from /proc', { skip: !existsSync('/proc/self/task') }, () => {
  const threads = readThreadCpu(process.pid);
  assert.ok(threads.some((thread) => thread.name === 'MainThread' && thread.cpuNs > 0));
  assert.ok(readRssBytes(process.pid) > 1024 * 1024);
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { summarizeCpuProfile, type CpuProfile } from './cpu-profile-summary.ts';

const ROOT = '/repo';
const frame = (functionName: string, url = '', lineNumber = 0) => ({ functionName, url, lineNumber });

// (root) → handle (gateway) → parse (zod) → handle (recursion) ; (root) → (idle) ; (root) → (garbage collector)
const profile: CpuProfile = {
  nodes: [
    { id: 1, callFrame: frame('(root)'), children: [2, 5, 6] },
    { id: 2, callFrame: frame('handle', 'file:///repo/services/io-gateway/src/app.ts', 9), children: [3] },
    {
      id: 3,
      callFrame: frame('parse', 'file:///repo/node_modules/.pnpm/zod@4.0.0/node_modules/zod/index.js', 0),
      children: [4],
    },
    { id: 4, callFrame: frame('handle', 'file:///repo/services/io-gateway/src/app.ts', 9) },
    { id: 5, callFrame: frame('(idle)') },
    { id: 6, callFrame: frame('(garbage collector)') },
  ],
  samples: [2, 3, 4, 4, 5, 6],
  timeDeltas: [1000, 2000, 3000, 1000, 50_000, 500],
};

test('self time lands on the sampled frame; idle is not busy time', () => {
  const summary = summarizeCpuProfile(profile, ROOT);
  assert.equal(summary.busyMs, 7.5);
  assert.deepEqual(
    summary.selfByFunction.map((entry) => [entry.name, entry.ms]),
    [
      ['handle (services/io-gateway/src/app.ts:10)', 5],
      ['parse (zod/index.js:1)', 2],
      ['(garbage collector)', 0.5],
    ],
  );
});

test('inclusive time counts a recursive function once per stack', () => {
  const inclusive = summarizeCpuProfile(profile, ROOT).inclusiveByFunction;
  assert.deepEqual(
    inclusive.slice(0, 2).map((entry) => [entry.name, entry.ms, entry.share]),
    [
      ['handle (services/io-gateway/src/app.ts:10)', 7, 7 / 7.5],
      ['parse (zod/index.js:1)', 6, 6 / 7.5],
    ],
  );
});

test('self time by package names npm packages, folders of the repository and VM frames', () => {
  const packages = summarizeCpuProfile(profile, ROOT).selfByPackage.map((entry) => [entry.name, entry.ms]);
  assert.deepEqual(packages, [
    ['services/io-gateway/src', 5],
    ['zod', 2],
    ['(garbage collector)', 0.5],
  ]);
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { byConcern } from './profile-concerns.ts';

const entry = (name: string, ms: number) => ({ name, ms, share: ms / 100 });

test('functions add up under their concern, busiest first, the rest under other', () => {
  const concerns = byConcern([
    entry('DOMException (node:internal/per_context/domexception:72)', 5),
    entry('(anonymous) (node:internal/abort_controller:505)', 4),
    entry('execute (cockatiel/dist/RetryPolicy.js:54)', 3),
    entry('finish (services/io-gateway/src/upstream/hedge.ts:17)', 2),
    entry('writev', 6),
    entry('somethingElse (node:vm:1)', 1),
  ]);
  assert.deepEqual(
    concerns.map((concern) => [concern.name.split(':')[0], concern.ms]),
    [
      ['cancellation', 9],
      ['sockets', 6],
      ['policies', 5],
      ['other', 1],
    ],
  );
  assert.equal(concerns[0]!.share, 0.09);
});

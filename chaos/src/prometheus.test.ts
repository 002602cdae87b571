import assert from 'node:assert/strict';
import { test } from 'node:test';
import { observationsAbove, parseExposition, total } from './prometheus.ts';

const exposition = (le10: number, count: number) => `# HELP x y
h_bucket{le="0.01",route="/a"} ${le10}
h_bucket{le="+Inf",route="/a"} ${count}
h_count{route="/a"} ${count}
h_count{route="/b"} 7
g{dependency="profile"} 1
`;

test('parses samples with labels and sums them', () => {
  const samples = parseExposition(exposition(3, 4));
  assert.equal(total(samples, 'h_count'), 11);
  assert.equal(total(samples, 'h_count', { route: '/a' }), 4);
  assert.equal(total(samples, 'g', { dependency: 'profile' }), 1);
});

test('counts the observations above a bucket bound between two scrapes', () => {
  const delta = observationsAbove(parseExposition(exposition(3, 4)), parseExposition(exposition(10, 13)), 'h', 0.01, {
    route: '/a',
  });
  assert.deepEqual(delta, { count: 9, above: 2 });
  assert.throws(() => observationsAbove([], parseExposition(exposition(1, 1)), 'h', 0.02), /no bucket/);
});

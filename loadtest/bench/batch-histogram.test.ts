import { test } from 'node:test';
import assert from 'node:assert/strict';
import { batchesBetween, parseBatchHistogram, sumBatchHistograms } from './batch-histogram.ts';

const exposition = (runsAtOne: number, runsAtFour: number) =>
  [
    '# HELP scorer_batch_rows Rows per run.',
    '# TYPE scorer_batch_rows histogram',
    `scorer_batch_rows_bucket{le="1",model="interests",version="1"} ${runsAtOne}`,
    `scorer_batch_rows_bucket{le="2",model="interests",version="1"} ${runsAtOne}`,
    `scorer_batch_rows_bucket{le="4",model="interests",version="1"} ${runsAtOne + runsAtFour}`,
    `scorer_batch_rows_bucket{le="+Inf",model="interests",version="1"} ${runsAtOne + runsAtFour}`,
    `scorer_batch_rows_sum{model="interests",version="1"} ${runsAtOne + 4 * runsAtFour}`,
    `scorer_batch_rows_count{model="interests",version="1"} ${runsAtOne + runsAtFour}`,
    'scorer_batch_rows_bucket{le="1",model="other",version="1"} 99',
  ].join('\n');

test("a model's histogram is read from the exposition and other models are ignored", () => {
  const histogram = parseBatchHistogram(exposition(5, 2), 'interests');
  assert.equal(histogram.runs, 7);
  assert.equal(histogram.rows, 13);
  assert.deepEqual(histogram.buckets.at(0), { le: '1', runs: 5 });
});

test('between two scrapes, each bucket holds only its own new runs and empty buckets are dropped', () => {
  const between = batchesBetween(
    parseBatchHistogram(exposition(5, 2), 'interests'),
    parseBatchHistogram(exposition(8, 6), 'interests'),
  );
  assert.deepEqual(between, {
    buckets: [
      { le: '1', runs: 3 },
      { le: '4', runs: 4 },
    ],
    runs: 7,
    rows: 19,
  });
});

test('a model that has not run yet has an empty histogram', () => {
  assert.deepEqual(parseBatchHistogram(exposition(1, 1), 'missing'), { buckets: [], runs: 0, rows: 0 });
});

test('summed histograms keep buckets in order, +Inf last', () => {
  const sum = sumBatchHistograms([
    {
      buckets: [
        { le: '+Inf', runs: 1 },
        { le: '16', runs: 2 },
      ],
      runs: 3,
      rows: 100,
    },
    undefined,
    {
      buckets: [
        { le: '2', runs: 4 },
        { le: '16', runs: 1 },
      ],
      runs: 5,
      rows: 20,
    },
  ]);
  assert.deepEqual(sum, {
    buckets: [
      { le: '2', runs: 4 },
      { le: '16', runs: 3 },
      { le: '+Inf', runs: 1 },
    ],
    runs: 8,
    rows: 120,
  });
});

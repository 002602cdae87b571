import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { isUpstreamError, parseRetryAfterMs, UpstreamError, type UpstreamFailure } from './upstream-error.ts';

const failure = (kind: UpstreamFailure, status?: number) =>
  new UpstreamError('features', kind, 'failed', status === undefined ? {} : { status });

test('carries the dependency, failure, status, Retry-After and cause', () => {
  const cause = new Error('socket hang up');
  const error = new UpstreamError('features', 'status', 'HTTP 503', { status: 503, retryAfterMs: 2_000, cause });
  assert.ok(error instanceof Error);
  assert.equal(error.name, 'UpstreamError');
  assert.equal(error.message, 'features: HTTP 503');
  assert.equal(error.dependency, 'features');
  assert.equal(error.failure, 'status');
  assert.equal(error.status, 503);
  assert.equal(error.retryAfterMs, 2_000);
  assert.equal(error.cause, cause);
  const bare = failure('connect');
  assert.equal(bare.status, undefined);
  assert.equal(bare.retryAfterMs, undefined);
});

test('retryable: connect errors and 429, 502, 503, 504 only', () => {
  assert.equal(failure('connect').retryable, true);
  for (const status of [429, 502, 503, 504]) assert.equal(failure('status', status).retryable, true, `${status}`);
  for (const status of [400, 401, 403, 404, 408, 409, 422, 500, 501, 505, 599]) {
    assert.equal(failure('status', status).retryable, false, `${status}`);
  }
  assert.equal(failure('status').retryable, false, 'a status failure without a status');
  for (const kind of ['timeout', 'invalid-body', 'circuit-open', 'bulkhead-full', 'deadline'] as const) {
    assert.equal(failure(kind).retryable, false, kind);
    assert.equal(failure(kind, 503).retryable, false, `${kind} with a status`);
  }
});

test('isFault: 5xx, 429, connect, timeout and invalid bodies; not 4xx, nor our own refusals', () => {
  for (const status of [429, 500, 501, 502, 503, 504, 599]) assert.equal(failure('status', status).isFault, true);
  for (const status of [400, 401, 404, 408, 409, 422, 499]) assert.equal(failure('status', status).isFault, false);
  assert.equal(failure('status').isFault, false);
  for (const kind of ['connect', 'timeout', 'invalid-body'] as const) assert.equal(failure(kind).isFault, true, kind);
  for (const kind of ['circuit-open', 'bulkhead-full', 'deadline'] as const) {
    assert.equal(failure(kind).isFault, false, kind);
  }
});

test('a 429 or 503 with Retry-After is load shedding: retried within the budget, not a fault for the breaker', () => {
  for (const status of [429, 503]) {
    const shed = new UpstreamError('scorer', 'status', 'full', { status, retryAfterMs: 1_000 });
    assert.equal(shed.isShedding, true, `${status}`);
    assert.equal(shed.isFault, false, `${status}`);
    assert.equal(shed.retryable, true, `${status}`);
    assert.equal(failure('status', status).isShedding, false, `${status} without Retry-After`);
  }
  for (const status of [500, 502, 504]) {
    const error = new UpstreamError('scorer', 'status', 'failed', { status, retryAfterMs: 1_000 });
    assert.equal(error.isShedding, false, `${status}`);
    assert.equal(error.isFault, true, `${status} is a fault even with Retry-After`);
  }
  assert.equal(new UpstreamError('scorer', 'timeout', 'slow', { retryAfterMs: 1_000 }).isShedding, false);
});

test('isUpstreamError matches on the brand, not the class', () => {
  assert.equal(isUpstreamError(failure('connect')), true);
  // Another copy of the class (a second install of the package) still matches.
  const copy = Object.assign(new Error('features: refused'), { name: 'UpstreamError', failure: 'connect' });
  assert.equal(isUpstreamError(copy), true);
  assert.equal(isUpstreamError(new Error('plain')), false);
  assert.equal(isUpstreamError(Object.assign(new Error('named only'), { name: 'UpstreamError' })), false);
  assert.equal(isUpstreamError({ name: 'UpstreamError', failure: 'connect', message: 'not an Error' }), false);
  for (const value of [undefined, null, 'UpstreamError', 42]) assert.equal(isUpstreamError(value), false);
});

test('parseRetryAfterMs reads delay-seconds', () => {
  assert.equal(parseRetryAfterMs('0'), 0);
  assert.equal(parseRetryAfterMs('1'), 1_000);
  assert.equal(parseRetryAfterMs('120'), 120_000);
  assert.equal(parseRetryAfterMs(' 3 '), 3_000);
  assert.equal(parseRetryAfterMs('007'), 7_000);
  assert.equal(parseRetryAfterMs(['2', '9']), 2_000, 'the first of repeated headers');
});

test('parseRetryAfterMs reads an HTTP date relative to now, and a past date as 0', () => {
  const now = Date.parse('Wed, 21 Oct 2015 07:28:00 GMT');
  assert.equal(parseRetryAfterMs('Wed, 21 Oct 2015 07:28:30 GMT', now), 30_000);
  assert.equal(parseRetryAfterMs('Wed, 21 Oct 2015 08:28:00 GMT', now), 3_600_000);
  assert.equal(parseRetryAfterMs('Wed, 21 Oct 2015 07:27:00 GMT', now), 0);
  assert.equal(parseRetryAfterMs(['Wed, 21 Oct 2015 07:28:01 GMT'], now), 1_000);
  const inAMinute = new Date(Date.now() + 60_000).toUTCString();
  const ms = parseRetryAfterMs(inAMinute);
  assert.ok(ms !== undefined && ms > 55_000 && ms <= 60_000, `defaults to Date.now(): ${ms}`);
});

test('parseRetryAfterMs ignores a missing, empty or unreadable value', () => {
  for (const value of [undefined, '', '   ', [], ['  '], 'soon', 'later today', 'Wed, 99 Foo 2015']) {
    assert.equal(parseRetryAfterMs(value), undefined, JSON.stringify(value));
  }
});

test('property: delay-seconds parse to milliseconds, whatever the padding', () => {
  fc.assert(
    fc.property(fc.nat({ max: 10_000_000 }), fc.constantFrom('', ' ', '\t', '  '), (seconds, pad) => {
      assert.equal(parseRetryAfterMs(`${pad}${seconds}${pad}`), seconds * 1000);
    }),
  );
});

test('property: an HTTP date parses to the milliseconds until it, or 0 once past', () => {
  const year2000 = Date.UTC(2000, 0, 1);
  const year2100 = Date.UTC(2100, 0, 1);
  fc.assert(
    fc.property(
      fc.integer({ min: year2000 / 1000, max: year2100 / 1000 }),
      fc.integer({ min: year2000, max: year2100 }),
      (atSeconds, now) => {
        const at = atSeconds * 1000;
        assert.equal(parseRetryAfterMs(new Date(at).toUTCString(), now), Math.max(0, at - now));
      },
    ),
  );
});

test('property: any text gives undefined or a duration that is not negative', () => {
  fc.assert(
    fc.property(fc.oneof(fc.string(), fc.stringMatching(/^[\d .:,a-zA-Z-]{0,40}$/)), fc.nat(), (text, now) => {
      const ms = parseRetryAfterMs(text, now);
      assert.ok(ms === undefined || ms >= 0, `${JSON.stringify(text)} gave ${ms}`);
    }),
    { numRuns: 500 },
  );
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createLogger, traceField } from './logger.ts';

test('log lines carry Cloud Logging severity and message fields', () => {
  const lines: string[] = [];
  const logger = createLogger({
    level: 'info',
    service: 'scorer',
    destination: { write: (line: string) => lines.push(line) },
  });
  logger.child({ requestId: 'r-1' }).warn({ code: 'OVERLOADED' }, 'queue full');
  logger.debug('not at this level');
  assert.equal(lines.length, 1);
  const entry = JSON.parse(lines[0]!) as Record<string, unknown>;
  assert.equal(entry['severity'], 'WARNING');
  assert.equal(entry['message'], 'queue full');
  assert.equal(entry['requestId'], 'r-1');
  assert.equal(entry['service'], 'scorer');
  assert.equal(typeof entry['time'], 'string');
});

test('the trace field comes from traceparent or X-Cloud-Trace-Context, only when the project is known', () => {
  const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
  const expected = { 'logging.googleapis.com/trace': `projects/p/traces/${traceId}` };
  assert.deepEqual(
    traceField({ traceparent: `00-${traceId}-00f067aa0ba902b7-01`, cloudTraceContext: undefined }, 'p'),
    expected,
  );
  assert.deepEqual(traceField({ traceparent: undefined, cloudTraceContext: `${traceId}/1;o=1` }, 'p'), expected);
  assert.deepEqual(
    traceField({ traceparent: `00-${traceId}-00f067aa0ba902b7-01`, cloudTraceContext: undefined }, undefined),
    {},
  );
  assert.deepEqual(traceField({ traceparent: 'garbage', cloudTraceContext: 'nope' }, 'p'), {});
});

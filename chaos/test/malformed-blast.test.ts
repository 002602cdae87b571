import { after, before, test } from 'node:test';
import fc from 'fast-check';
import { startChaosStack, type ChaosStack } from '../src/chaos-stack.ts';
import { malformedRequest, type BlastTarget } from '../src/malformed-requests.ts';
import { isAlive } from '../src/process-sample.ts';
import { scrape, total } from '../src/prometheus.ts';
import { inParallel, rawRequest, type RawAnswer } from '../src/raw-http.ts';
import { check, verify } from '../src/results.ts';

const REQUESTS = 10_000;
const SEED = 20_261_121;

const hostile = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }),
  fc.constantFrom(1e308, -0, 2 ** 64, Number.MAX_SAFE_INTEGER + 2, '__proto__', '..', '%2e%2e', '//evil', 'a@b'),
);
const GATEWAY: BlastTarget = {
  paths: ['/v1/score', '/v1/score/batch', '/v1/score?x=1', '/v1/nope', '/metrics'],
  body: fc.record(
    {
      entityId: fc.oneof(fc.constantFrom('u-music-1', 'missing-1', '..', 'u@x', 'a/../b'), fc.string(), hostile),
      entityIds: fc.oneof(fc.array(fc.oneof(fc.constantFrom('u-tech-2'), fc.string()), { maxLength: 120 }), hostile),
      model: fc.oneof(fc.constantFrom('interests', 'nope'), hostile),
      topK: fc.oneof(fc.integer({ min: -5, max: 2_000 }), hostile),
    },
    { requiredKeys: [] },
  ),
};
const SCORER: BlastTarget = {
  paths: ['/v2/models/interests/infer', '/v2/models/interests/versions/1/infer', '/v2/models/nope/infer', '/v2/x'],
  body: fc.record(
    {
      id: hostile,
      inputs: fc.oneof(
        fc.array(
          fc.record(
            {
              name: fc.oneof(fc.constantFrom('features', '__proto__'), fc.string()),
              shape: fc.oneof(fc.array(fc.integer({ min: -2, max: 70 }), { maxLength: 4 }), hostile),
              datatype: fc.oneof(fc.constantFrom('FP32', 'INT64', 'BYTES', 'BOOL', 'FP16'), hostile),
              data: fc.oneof(fc.array(fc.oneof(fc.double(), fc.integer(), hostile), { maxLength: 70 }), hostile),
              parameters: fc.oneof(fc.record({ binary_data_size: fc.integer({ min: -5, max: 300 }) }), hostile),
            },
            { requiredKeys: [] },
          ),
          { maxLength: 3 },
        ),
        hostile,
      ),
      outputs: fc.oneof(fc.array(fc.record({ name: fc.oneof(fc.string(), hostile) }), { maxLength: 2 }), hostile),
      parameters: fc.oneof(fc.record({ timeout: hostile, binary_data_output: hostile }), hostile),
    },
    { requiredKeys: [] },
  ),
};
const headers = fc.array(
  fc.tuple(
    fc.constantFrom('X-Request-Timeout-Ms', 'Authorization', 'X-API-Key', 'X-Request-Id', 'traceparent', 'Accept'),
    fc.string({ unit: 'binary-ascii', maxLength: 300 }).map((s) => s.replace(/[\r\n\0]/g, '')),
  ),
  { maxLength: 3 },
);

let stack: ChaosStack;
before(async () => {
  stack = await startChaosStack({ models: { interests: { instances: 1, maxBatchSize: 64 } } });
});
after(() => stack.stop());

for (const name of ['gateway', 'scorer'] as const) {
  test(`${REQUESTS} malformed requests at the ${name}: no 5xx, no crash`, async () => {
    const service = name === 'gateway' ? stack.gateway : stack.services.scorer;
    const port = Number(new URL(service.url).port);
    const requests = fc.sample(malformedRequest(name === 'gateway' ? GATEWAY : SCORER, headers), {
      numRuns: REQUESTS,
      seed: SEED,
    });
    const started = performance.now();
    const answers: RawAnswer[] = await inParallel(requests, 16, (request) => rawRequest(port, request.bytes));
    const seconds = (performance.now() - started) / 1000;
    const byKind: Record<string, number> = {};
    const byStatus: Record<string, number> = {};
    const serverErrors: string[] = [];
    answers.forEach((answer, i) => {
      const kind = requests[i]!.kind;
      byKind[kind] = (byKind[kind] ?? 0) + 1;
      const status =
        answer.status === undefined ? (answer.timedOut ? 'no answer (timeout)' : 'closed') : String(answer.status);
      byStatus[status] = (byStatus[status] ?? 0) + 1;
      if (answer.status !== undefined && answer.status >= 500) {
        serverErrors.push(`${answer.status} for ${kind}: ${requests[i]!.bytes.subarray(0, 200).toString('latin1')}`);
      }
    });
    const metrics = await scrape(service.url);
    const failedAtServer =
      name === 'gateway'
        ? metrics
            .filter((s) => s.name === 'gateway_requests_total' && Number(s.labels['status']) >= 500)
            .reduce((sum, s) => sum + s.value, 0)
        : total(metrics, 'scorer_requests_total', { outcome: 'failed' });
    const health = await fetch(`${service.url}${name === 'gateway' ? '/healthz' : '/v2/health/ready'}`);
    await verify(
      {
        id: `fuzz/blast-${name}`,
        group: 'Malformed input',
        title: `${REQUESTS} malformed requests at the ${name} (raw sockets)`,
        figures: {
          requests: REQUESTS,
          statuses: byStatus,
          extra: {
            seconds: Math.round(seconds * 10) / 10,
            ...Object.fromEntries(Object.entries(byKind).map(([kind, count]) => [`kind: ${kind}`, count])),
          },
        },
      },
      [
        check('no 5xx answer', serverErrors.length === 0, serverErrors.slice(0, 3).join(' | ') || 'none'),
        check('no 5xx counted by the service', failedAtServer === 0, `${failedAtServer}`),
        check(
          'no request left hanging',
          (byStatus['no answer (timeout)'] ?? 0) === 0,
          `${byStatus['no answer (timeout)'] ?? 0}`,
        ),
        check(
          'alive and healthy afterwards',
          isAlive(service.child.pid!) && health.status === 200,
          `alive ${isAlive(service.child.pid!)}, health ${health.status}`,
        ),
      ],
    );
  });
}

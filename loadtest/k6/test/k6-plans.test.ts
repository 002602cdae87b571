// The pure parts of the k6 scripts: configuration from the environment, load plans, the knee, the summary.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { loadConfig, PROFILES } from '../lib/config.ts';
import { formatDurationS, parseDurationS } from '../lib/durations.ts';
import { findKnee, type PhaseRow } from '../lib/phase-report.ts';
import { loadK6Script } from './load-k6-script.ts';

test('k6 durations parse to seconds and format back', () => {
  assert.equal(parseDurationS('1h30m'), 5400);
  assert.equal(parseDurationS('500ms'), 0.5);
  assert.equal(parseDurationS('2m'), 120);
  for (const bad of ['', '10', 'm', '1x', '1m 30s', '-1s']) assert.equal(parseDurationS(bad), undefined, bad);
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 100_000 }), (seconds) => {
      assert.equal(parseDurationS(formatDurationS(seconds)), seconds);
    }),
  );
});

test('every bad setting stops the run with the variable named, never with its value when it is a secret', () => {
  const cases: [Record<string, string>, RegExp][] = [
    [{ TARGET: 'grpc' }, /TARGET="grpc": expected one of gateway, gateway-batch, scorer, scorer-binary/],
    [{ RATE: '1e3' }, /RATE="1e3": expected an integer/],
    [{ DURATION: '10 minutes' }, /DURATION="10 minutes": expected a k6 duration/],
    [{ MAX_ERROR_RATE: '5%' }, /MAX_ERROR_RATE="5%": expected a number between 0 and 1/],
    [{ BASE_URL: 'localhost:8080' }, /BASE_URL must be an http\(s\) origin/],
    [{ TARGET: 'scorer', API_KEY: 'secret-key' }, /API_KEY is for the gateway/],
    [{ ID_TOKEN: 'secret-token' }, /ID_TOKEN is for the private scorer/],
    [{ TARGET: 'scorer', TOP_K: '3' }, /TOP_K applies to the gateway targets only/],
    [{ BATCH_SIZE: '5' }, /BATCH_SIZE applies to gateway-batch/],
    [{ MAX_VUS: '3', PRE_ALLOCATED_VUS: '10' }, /MAX_VUS="3": expected an integer in \[10,/],
  ];
  for (const [env, message] of cases) {
    assert.throws(() => loadConfig('reference', env), message, JSON.stringify(env));
    try {
      loadConfig('reference', env);
    } catch (error) {
      assert.doesNotMatch((error as Error).message, /secret/);
    }
  }
  assert.throws(() => loadConfig('smoke', { DURATION: '5m' }), /DURATION="5m".*at most 60s/);
});

test('an identity token must outlive the run: an hour-long scorer soak is refused before it starts', () => {
  assert.throws(
    () => loadConfig('soak', { TARGET: 'scorer', ID_TOKEN: 't', DURATION: '1h' }),
    /ID_TOKEN: identity tokens expire after an hour and this run lasts 61 minutes/,
  );
  assert.equal(loadConfig('soak', { TARGET: 'scorer', ID_TOKEN: 't', DURATION: '50m' }).authorization, 'Bearer t');
});

test('defaults: the smoke run uses the gateway default model, every other profile the reference model', () => {
  for (const profile of PROFILES) {
    const gateway = loadConfig(profile, {});
    const scorer = loadConfig(profile, { TARGET: 'scorer' });
    assert.equal(gateway.model, profile === 'smoke' ? undefined : 'interests-heavy', profile);
    assert.equal(scorer.model, profile === 'smoke' ? 'interests' : 'interests-heavy', profile);
    assert.equal(gateway.checkTopLabel, profile === 'smoke', profile);
    assert.equal(scorer.deadlineMs, 1000);
    assert.equal(gateway.deadlineMs, undefined);
  }
});

test('reference: a constant arrival rate after a warm-up the SLO thresholds leave out', () => {
  const config = loadConfig('reference', { RATE: '1000', DURATION: '10m', WARMUP: '1m' });
  assert.deepEqual(config.plan.scenarios['steady'], {
    executor: 'constant-arrival-rate',
    rate: 1000,
    timeUnit: '1s',
    duration: '10m',
    preAllocatedVUs: 300,
    maxVUs: 1500,
    startTime: '1m',
  });
  assert.equal(config.plan.scenarios['warmup']?.executor, 'ramping-arrival-rate');
  const thresholds = config.plan.thresholds({ route: 'score', gateway: true, batch: false });
  assert.deepEqual(thresholds['http_req_duration{route:score,scenario:steady,expected_response:true}'], [
    'p(95)<300',
    'p(99)<600',
  ]);
  assert.deepEqual(thresholds['shed{route:score,scenario:steady}'], ['rate<=0.01']);
  assert.deepEqual(thresholds['dropped_iterations'], [`count<=${Math.floor(0.01 * (30_030 + 600_000))}`]);
  assert.equal(loadConfig('reference', { WARMUP: '0s' }).plan.scenarios['warmup'], undefined);
});

test('stress: plateaus from START_RATE to PEAK_RATE, each reported; the plan lasts as long as its stages', () => {
  const config = loadConfig('stress', { START_RATE: '100', PEAK_RATE: '1000', STEPS: '10', STEP_DURATION: '1m' });
  const plan = config.plan;
  assert.deepEqual(
    plan.reportedPhases,
    [100, 200, 300, 400, 500, 600, 700, 800, 900, 1000].map((rate) => `rate-${rate}`),
  );
  assert.equal(plan.durationS, 10 * 60 + 9 * 10);
  assert.equal(
    plan.plannedIterations,
    60 * (100 + 200 + 300 + 400 + 500 + 600 + 700 + 800 + 900 + 1000) + 9 * 10 * 550,
  );
  const noRamp = loadConfig('stress', { START_RATE: '10', PEAK_RATE: '20', STEPS: '2', RAMP_DURATION: '0s' }).plan;
  const scenario = noRamp.scenarios['stress'] as { stages: { duration: string; target: number }[] };
  // A plateau without a ramp jumps in one second instead of ramping across the whole plateau.
  assert.deepEqual(scenario.stages, [
    { duration: '30s', target: 10 },
    { duration: '1s', target: 20 },
    { duration: '29s', target: 20 },
  ]);
  assert.deepEqual(noRamp.reportedPhases, ['rate-10', 'rate-20']);
});

test('spike: baseline, spike and recovery; recovery is held to the SLO', () => {
  const plan = loadConfig('spike', { BASE_RATE: '200', SPIKE_RATE: '2000' }).plan;
  assert.deepEqual(
    plan.phases.map((phase) => phase.name),
    ['baseline', 'ramp-up', 'spike', 'ramp-down', 'recovery'],
  );
  assert.equal(plan.phases.find((phase) => phase.name === 'spike')?.targetRate, 2000);
  const thresholds = plan.thresholds({ route: 'infer-json', gateway: false, batch: false });
  assert.deepEqual(thresholds['http_req_duration{route:infer-json,phase:recovery,expected_response:true}'], [
    'p(95)<300',
    'p(99)<600',
    'max>=0',
  ]);
  assert.deepEqual(thresholds['shed{route:infer-json,phase:recovery}'], ['rate<=0.01', 'rate>=0']);
  assert.equal(thresholds['degraded{route:infer-json}'], undefined, 'the scorer has no degraded answers');
});

const row = (targetRate: number, p95Ms: number, failures = 0): PhaseRow => ({
  phase: `rate-${targetRate}`,
  targetRate,
  achievedRate: targetRate,
  requests: targetRate * 30,
  p95Ms,
  p99Ms: p95Ms * 1.5,
  shedRate: failures,
  errorRate: 0,
});

test('the knee is the last plateau within the SLO before the first one outside it', () => {
  const limits = loadConfig('stress', {}).plan.limits;
  assert.deepEqual(findKnee([row(10, 100), row(20, 150), row(30, 320), row(40, 100)], limits, 0.01), {
    lastWithin: row(20, 150),
    firstOutside: row(30, 320),
    reason: 'p95 320 ms > 300 ms',
  });
  assert.match(findKnee([row(10, 100), row(20, 100, 0.2)], limits, 0.01).reason ?? '', /20.0% shed or failed/);
  const starved = { ...row(50, 100), achievedRate: 40 };
  assert.match(findKnee([starved], limits, 0.01).reason ?? '', /achieved 40.0\/s of 50\/s/);
  assert.equal(findKnee([row(10, 100)], limits, 0.01).firstOutside, undefined);
});

/** k6's end-of-test data as handleSummary receives it (the long-standing shape), for a stress run. */
function stressSummaryData() {
  const trend = (p95: number) => ({
    type: 'trend',
    contains: 'time',
    values: { med: 50, 'p(95)': p95, 'p(99)': p95 * 2, max: 900 },
  });
  const rate = (value: number, thresholds: Record<string, { ok: boolean }> = {}) => ({
    type: 'rate',
    contains: 'default',
    values: { rate: value, passes: 1, fails: 1 },
    thresholds,
  });
  return {
    state: { testRunDurationMs: 170_000 },
    metrics: {
      http_reqs: { type: 'counter', values: { count: 9000, rate: 52.9 } },
      'http_req_duration{expected_response:true}': trend(120),
      errors: rate(0.001),
      'errors{route:score}': rate(0.001, { 'rate<=0.05': { ok: true } }),
      'shed{route:score}': rate(0.3, { 'rate<=0.5': { ok: true } }),
      dropped_iterations: {
        type: 'counter',
        values: { count: 900, rate: 5 },
        thresholds: { 'count<=400': { ok: false } },
      },
      'http_reqs{route:score,phase:rate-10}': {
        type: 'counter',
        values: { count: 300 },
        thresholds: { 'count>=0': { ok: true } },
      },
      'http_req_duration{route:score,phase:rate-10,expected_response:true}': trend(100),
      'http_reqs{route:score,phase:rate-200}': { type: 'counter', values: { count: 5100 } },
      'http_req_duration{route:score,phase:rate-200,expected_response:true}': trend(700),
    },
  };
}

test('handleSummary: text with failed thresholds and the knee on stdout, a JSON file without secrets', async () => {
  const script = await loadK6Script(fileURLToPath(new URL('../stress.ts', import.meta.url)), {
    API_KEY: 'secret-key',
    START_RATE: '10',
    PEAK_RATE: '200',
    STEPS: '2',
  });
  const outputs = script.handleSummary(stressSummaryData());
  const [path, ...others] = Object.keys(outputs).filter((key) => key !== 'stdout');
  assert.deepEqual(others, []);
  assert.match(path!, /^loadtest\/k6\/\.tmp\/stress-gateway-\d{4}-\d\d-\d\dT[\d-]+Z\.json$/);
  const text = outputs['stdout']!;
  assert.match(text, /result: FAIL in 170 s/);
  assert.match(text, /✗ dropped_iterations count<=400 {3}\(saw 900\)/);
  assert.match(text, /✓ shed\{route:score\} rate<=0\.5 {3}\(saw 30\.00%\)/);
  assert.doesNotMatch(text, /count>=0/, 'report-only thresholds are not listed');
  assert.match(text, /knee: last plateau within the SLO .* 10\/s; first outside 200\/s: achieved 170\.0\/s of 200\/s/);
  const json = JSON.parse(outputs[path!]!) as { splitserve: Record<string, unknown>; k6: unknown };
  assert.equal(json.splitserve['authenticated'], true);
  assert.deepEqual(json.k6, stressSummaryData());
  assert.doesNotMatch(text + outputs[path!], /secret-key/);
});

test('handleSummary: the machine-readable summary shape is read too', async () => {
  const script = await loadK6Script(fileURLToPath(new URL('../smoke.ts', import.meta.url)), {
    SUMMARY_PATH: 'out/smoke.json',
  });
  const outputs = script.handleSummary({
    version: '1.0.0',
    config: { execution: 'local', duration: 30 },
    results: {
      passed: true,
      metrics: [
        { name: 'http_reqs', type: 'counter', values: { count: 60, rate: 2 } },
        { name: 'errors', type: 'rate', values: { rate: 0, passes: 0, fails: 60 } },
      ],
    },
  });
  assert.deepEqual(Object.keys(outputs).toSorted(), ['out/smoke.json', 'stdout']);
  assert.match(outputs['stdout']!, /result: PASS in 30 s/);
  assert.match(outputs['stdout']!, /requests 60 \(2\.0\/s\) · shed - · errors 0\.00%/);
});

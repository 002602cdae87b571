import assert from 'node:assert/strict';
import { test } from 'node:test';
import { check, retryIfMachineStalled, retryOnMachineStall, timingCheck, type Check } from './results.ts';

const late = timingCheck('none later than deadline + 50 ms', false, '3 late');
const wrong = check('only 200/503', false, '500×1');
const stalled = { extra: { clientStallMs: 108, serverStallMs: 187 } };
const calm = { extra: { clientStallMs: 4, serverStallMs: 2 } };

/** Runs a scenario whose attempts fail `checks` with `figures`, and says how many attempts ran and what they noted. */
async function attemptsOf(checks: Check[], figures: typeof stalled, attempts = 3) {
  let runs = 0;
  let noted: string[] = [];
  const outcome = await retryOnMachineStall(
    (attempt) => {
      runs++;
      noted = attempt.stalls;
      retryIfMachineStalled(checks, figures, attempt);
      if (checks.some((c) => !c.pass)) throw new Error('failed');
    },
    { attempts, pauseMs: 0 },
  ).then(
    () => 'pass',
    (error: Error) => error.message,
  );
  return { runs, noted, outcome };
}

test('a timing failure while client and server both stalled runs again, and the stall is noted', async () => {
  const { runs, noted, outcome } = await attemptsOf([late], stalled);
  assert.equal(outcome, 'failed', 'the last attempt fails like any other');
  assert.equal(runs, 3);
  assert.equal(noted.length, 2);
  assert.match(noted[0]!, /attempt 1 failed "none later than deadline \+ 50 ms" .*client 108 ms, server 187 ms/);
});

test('a failure that is not about timing, or without a machine stall, fails at once', async () => {
  assert.deepEqual(await attemptsOf([late, wrong], stalled), { runs: 1, noted: [], outcome: 'failed' });
  assert.deepEqual(await attemptsOf([late], calm), { runs: 1, noted: [], outcome: 'failed' });
  // The server stalling alone is the server's doing.
  assert.deepEqual(await attemptsOf([late], { extra: { clientStallMs: 3, serverStallMs: 187 } }), {
    runs: 1,
    noted: [],
    outcome: 'failed',
  });
});

test('the attempt after a stall counts: passing then passes', async () => {
  let runs = 0;
  await retryOnMachineStall(
    (attempt) => {
      runs++;
      retryIfMachineStalled(runs === 1 ? [late] : [], stalled, attempt);
      assert.equal(attempt.stalls.length, runs - 1);
    },
    { pauseMs: 0 },
  );
  assert.equal(runs, 2);
});

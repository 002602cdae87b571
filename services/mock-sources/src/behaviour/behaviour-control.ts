import { createSeededRandom, type SeededRandom } from '@splitserve/demo-domain';
import type { Behaviour, BehaviourPatch } from './behaviour.ts';
import type { Outcome } from './outcome.ts';

/** How one data request is to be answered, fixed when it arrives so later admin changes do not touch it. */
export type AnswerPlan = {
  outcome: Exclude<Outcome, 'bad-request'>;
  /** Wait before answering (not used by `hang`), in milliseconds. */
  delayMs: number;
  errorStatus: number;
  retryAfterS: number | null;
  /** Why an `error` outcome was chosen, for its body. */
  reason: 'failFirst' | 'errorRate' | 'status mode' | undefined;
};

/** The source's mutable behaviour and the per-request decisions that follow from it. */
export type BehaviourControl = {
  current(): Behaviour;
  /** Applies the fields present in `patch`; returns the result. */
  update(patch: BehaviourPatch): Behaviour;
  /** Back to the defaults the process started with. */
  reset(): Behaviour;
  /** Decides the next data request's answer: failFirst first, then errorRate, then the mode. */
  plan(entityIsMissing: boolean): AnswerPlan;
};

const SEED = 0x5eed;

/**
 * Holds the behaviour, starting at `defaults`. Error rolls and jitter come from seeded generators that restart on
 * every update and reset, so a test that sets a behaviour sees the same sequence of answers on every run.
 */
export function createBehaviourControl(defaults: Behaviour): BehaviourControl {
  let behaviour: Behaviour = { ...defaults };
  let errorRolls: SeededRandom;
  let jitterRolls: SeededRandom;
  reseed();

  function reseed(): void {
    // Separate streams, so changing the jitter does not change which requests fail.
    errorRolls = createSeededRandom(SEED);
    jitterRolls = createSeededRandom(SEED + 1);
  }

  function update(patch: BehaviourPatch): Behaviour {
    const defined = Object.fromEntries(Object.entries(patch).filter(([, value]) => value !== undefined));
    behaviour = { ...behaviour, ...defined };
    reseed();
    return behaviour;
  }

  function reset(): Behaviour {
    behaviour = { ...defaults };
    reseed();
    return behaviour;
  }

  function plan(entityIsMissing: boolean): AnswerPlan {
    const { latencyMs, jitterMs, errorRate, errorStatus, retryAfterS, mode, failFirst } = behaviour;
    const delayMs = Math.max(0, latencyMs + (jitterRolls.uniform() * 2 - 1) * jitterMs);
    const answer = { delayMs, errorStatus, retryAfterS };
    if (failFirst > 0) {
      behaviour = { ...behaviour, failFirst: failFirst - 1 };
      return { ...answer, outcome: 'error', reason: 'failFirst' };
    }
    if (mode === 'status') return { ...answer, outcome: 'error', reason: 'status mode' };
    if (errorRate > 0 && errorRolls.uniform() < errorRate) return { ...answer, outcome: 'error', reason: 'errorRate' };
    if (mode !== 'normal') return { ...answer, outcome: mode, reason: undefined };
    return { ...answer, outcome: entityIsMissing ? 'not-found' : 'ok', reason: undefined };
  }

  return { current: () => behaviour, update, reset, plan };
}

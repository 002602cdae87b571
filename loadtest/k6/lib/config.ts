import { createEnvReader, type Environment } from './env-reader.ts';
import type { LoadPlan } from './load-plan.ts';
import { MEANINGFUL_MODEL, REFERENCE_MODEL } from './model-io.ts';
import { planReference } from './profiles/reference.ts';
import { planSmoke } from './profiles/smoke.ts';
import { planSoak } from './profiles/soak.ts';
import { planSpike } from './profiles/spike.ts';
import { planStress } from './profiles/stress.ts';
import { TARGET_INFO, TARGETS, type Target, type TargetInfo } from './targets.ts';

export const PROFILES = ['smoke', 'reference', 'stress', 'spike', 'soak'] as const;
export type Profile = (typeof PROFILES)[number];

const PLANNERS: Readonly<Record<Profile, typeof planSmoke>> = {
  smoke: planSmoke,
  reference: planReference,
  stress: planStress,
  spike: planSpike,
  soak: planSoak,
};

/** Identity tokens from `gcloud auth print-identity-token` live one hour; a run must end well before. */
const ID_TOKEN_LIFETIME_S = 55 * 60;

/** A run's whole configuration, read once from the environment in k6's init phase. */
export type RunConfig = Readonly<{
  profile: Profile;
  target: Target;
  targetInfo: TargetInfo;
  /** Origin of the service under test, without a trailing slash. */
  baseUrl: string;
  /** Gateway: the pipeline to ask for (undefined: the gateway's default). Scorer: the model in the path. */
  model: string | undefined;
  topK: number | undefined;
  /** Entities per batch request, or rows per inference request. */
  batchSize: number;
  entityCount: number;
  /** Sent as X-Request-Timeout-Ms when set. */
  deadlineMs: number | undefined;
  /** k6's own per-request timeout; past it the request counts as an error. */
  httpTimeout: string;
  /** The whole Authorization header value, when the run sends one. Never printed. */
  authorization: string | undefined;
  /** Whether each non-degraded gateway answer must rank the entity's category first. */
  checkTopLabel: boolean;
  /** Where handleSummary writes the JSON summary; undefined for the default under loadtest/k6/.tmp/. */
  summaryPath: string | undefined;
  plan: LoadPlan;
}>;

/**
 * Reads and validates the environment for `profile`. Throws an Error naming the variable at fault (k6 then stops
 * in its init phase, before any request). Every variable is read whatever the target, so a value that does not
 * apply to it is reported instead of silently ignored.
 */
export function loadConfig(profile: Profile, env: Environment): RunConfig {
  const read = createEnvReader(env);
  const target = read.oneOf('TARGET', TARGETS, 'gateway');
  const info = TARGET_INFO[target];
  const gateway = info.service === 'gateway';
  const fail = (message: string): never => {
    throw new Error(`invalid load-test configuration: ${message}`);
  };

  const baseUrl = read.string('BASE_URL', info.defaultBaseUrl).replace(/\/+$/, '');
  if (!/^https?:\/\/[^/?#\s]+$/.test(baseUrl))
    fail(`BASE_URL must be an http(s) origin, such as ${info.defaultBaseUrl}`);

  const fallbackModel = profile === 'smoke' ? (gateway ? undefined : MEANINGFUL_MODEL) : REFERENCE_MODEL;
  const model = read.optionalString('MODEL') ?? fallbackModel;
  if (model !== undefined && !/^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/.test(model)) {
    fail('MODEL must be a model or pipeline name (letters, digits, _ . -)');
  }

  const topK = read.optionalInteger('TOP_K', 1, 1000);
  if (topK !== undefined && !gateway) fail('TOP_K applies to the gateway targets only');
  const batchSize = read.integer('BATCH_SIZE', target === 'gateway-batch' ? 10 : 1, 1, 1000);
  if (target === 'gateway' && batchSize !== 1) fail('BATCH_SIZE applies to gateway-batch, scorer and scorer-binary');
  const entityCount = read.integer('ENTITY_COUNT', 10_000, 1, 100_000_000);
  if (target === 'gateway-batch' && batchSize > entityCount) fail('BATCH_SIZE exceeds ENTITY_COUNT');

  const deadlineMs = read.optionalInteger('DEADLINE_MS', 1, 600_000) ?? (gateway ? undefined : 1000);
  const httpTimeout = read.duration('HTTP_TIMEOUT', '10s', 1).text;

  const apiKey = read.optionalString('API_KEY');
  const idToken = read.optionalString('ID_TOKEN');
  if (apiKey !== undefined && !gateway) fail('API_KEY is for the gateway; the private scorer takes ID_TOKEN');
  if (idToken !== undefined && gateway) fail('ID_TOKEN is for the private scorer; the gateway takes API_KEY');

  const checkTopLabel = read.boolean('CHECK_TOP_LABEL', gateway && (model ?? MEANINGFUL_MODEL) === MEANINGFUL_MODEL);
  if (checkTopLabel && !gateway) fail('CHECK_TOP_LABEL applies to the gateway targets only');

  const summaryPath = read.optionalString('SUMMARY_PATH');
  const plan = PLANNERS[profile](read);
  if (idToken !== undefined && plan.durationS > ID_TOKEN_LIFETIME_S) {
    fail(
      `ID_TOKEN: identity tokens expire after an hour and this run lasts ${Math.round(plan.durationS / 60)} minutes; ` +
        'shorten it or soak the scorer through the gateway',
    );
  }

  return Object.freeze({
    profile,
    target,
    targetInfo: info,
    baseUrl,
    model,
    topK,
    batchSize,
    entityCount,
    deadlineMs,
    httpTimeout,
    authorization: apiKey !== undefined || idToken !== undefined ? `Bearer ${apiKey ?? idToken}` : undefined,
    checkTopLabel,
    summaryPath,
    plan,
  });
}

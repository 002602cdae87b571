import { encodeBinaryInferRequest, INFERENCE_HEADER_LENGTH } from './binary-inference.ts';
import type { RunConfig } from './config.ts';
import { createEntityIds } from './entity-ids.ts';
import { FEATURE_COUNT, FEATURES_INPUT, SCORES_OUTPUT } from './model-io.ts';
import { inferPath } from './targets.ts';

/** What an answer must contain; the response inspection checks it. */
export type Expectation =
  | Readonly<{ kind: 'score'; entityId: string; model: string | undefined; topK: number | undefined }>
  | Readonly<{ kind: 'score-batch'; entityIds: string[]; model: string | undefined; topK: number | undefined }>
  | Readonly<{ kind: 'infer'; model: string; rows: number; binary: boolean }>;

/** One request, ready for `http.request('POST', url, body, params)`. */
export type PlannedRequest = Readonly<{
  url: string;
  body: string | ArrayBuffer;
  headers: Record<string, string>;
  /** Read the body as an ArrayBuffer (Triton binary answers). */
  binaryResponse: boolean;
  expectation: Expectation;
}>;

export type RequestSettings = Pick<
  RunConfig,
  'target' | 'baseUrl' | 'model' | 'topK' | 'batchSize' | 'entityCount' | 'deadlineMs' | 'authorization'
>;

/** Distinct inference bodies a VU cycles through; the scorer caches nothing, so a few are as good as fresh ones. */
const BODY_VARIANTS = 8;

/**
 * Builds the next request of a run. Gateway requests pick entities at random from the id space; inference
 * requests cycle through pre-built bodies of random FP32 features, so building a request costs next to nothing.
 * `random` is injected so tests can pin it.
 */
export function createRequestBuilder(settings: RequestSettings, random: () => number = Math.random) {
  const headers: Record<string, string> = {};
  if (settings.authorization !== undefined) headers['Authorization'] = settings.authorization;
  if (settings.deadlineMs !== undefined) headers['X-Request-Timeout-Ms'] = String(settings.deadlineMs);
  const entities = createEntityIds(settings.entityCount, random);
  const optional: { model?: string; topK?: number } = {};
  if (settings.model !== undefined) optional.model = settings.model;
  if (settings.topK !== undefined) optional.topK = settings.topK;

  if (settings.target === 'gateway' || settings.target === 'gateway-batch') {
    const batch = settings.target === 'gateway-batch';
    const url = `${settings.baseUrl}${batch ? '/v1/score/batch' : '/v1/score'}`;
    const jsonHeaders = { ...headers, 'Content-Type': 'application/json' };
    const common = { model: settings.model, topK: settings.topK };
    return function nextGatewayRequest(): PlannedRequest {
      if (batch) {
        const entityIds = entities.pickDistinct(settings.batchSize);
        const body = JSON.stringify({ entityIds, ...optional });
        return {
          url,
          body,
          headers: jsonHeaders,
          binaryResponse: false,
          expectation: { kind: 'score-batch', entityIds, ...common },
        };
      }
      const entityId = entities.pick();
      const body = JSON.stringify({ entityId, ...optional });
      return {
        url,
        body,
        headers: jsonHeaders,
        binaryResponse: false,
        expectation: { kind: 'score', entityId, ...common },
      };
    };
  }

  const model = settings.model ?? '';
  const binary = settings.target === 'scorer-binary';
  const rows = settings.batchSize;
  const url = `${settings.baseUrl}${inferPath(model)}`;
  const expectation: Expectation = { kind: 'infer', model, rows, binary };
  const variants = Array.from({ length: BODY_VARIANTS }, () => {
    const values = Array.from({ length: rows * FEATURE_COUNT }, () => Math.fround(random()));
    if (!binary) {
      const input = { name: FEATURES_INPUT, shape: [rows, FEATURE_COUNT], datatype: 'FP32', data: values };
      return { body: JSON.stringify({ inputs: [input] }), headers: { ...headers, 'Content-Type': 'application/json' } };
    }
    const { body, headerLength } = encodeBinaryInferRequest(FEATURES_INPUT, SCORES_OUTPUT, rows, FEATURE_COUNT, values);
    return {
      body,
      headers: {
        ...headers,
        'Content-Type': 'application/octet-stream',
        [INFERENCE_HEADER_LENGTH]: String(headerLength),
      },
    };
  });
  let next = 0;
  return function nextInferRequest(): PlannedRequest {
    const variant = variants[next++ % variants.length]!;
    return { url, body: variant.body, headers: variant.headers, binaryResponse: binary, expectation };
  };
}

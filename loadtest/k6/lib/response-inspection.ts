import { INFERENCE_HEADER_LENGTH, readFloat32s, splitBinaryInferResponse } from './binary-inference.ts';
import { categoryOf } from './entity-ids.ts';
import { INTEREST_LABELS, LABEL_COUNT, SCORES_OUTPUT } from './model-io.ts';
import type { Expectation } from './request-builders.ts';

/** The parts of a k6 response the inspection reads (k6's `Response` has them). */
export type ResponseLike = Readonly<{
  status: number;
  headers: Readonly<Record<string, string>>;
  body: string | ArrayBuffer | null;
}>;

/** ok: a well-formed 2xx. shed: 503 with Retry-After, the service refusing load. error: anything else. */
export type Outcome = 'ok' | 'shed' | 'error';

/** k6 check names; the summary and the README use the same words. */
export const CHECK = {
  status: 'answered 2xx, or shed: 503 with Retry-After',
  identity: 'answer names the entity and the model',
  sorted: 'scores sorted highest first',
  labels: 'every score has a known label, once',
  topLabel: "top label is the entity's category",
  batchOrder: 'one result per entity, in request order',
  framing: 'binary framing adds up',
  output: 'output scores is FP32 [rows, 16]',
  finite: 'scores are finite numbers',
  modelName: 'model_name is the requested model',
} as const;

export type Inspection = Readonly<{
  outcome: Outcome;
  /** Check name → passed. Shape checks are present only for 2xx answers. */
  checks: Record<string, boolean>;
  /** Gateway: per scored entity, whether an optional source failed and its defaults were used. */
  degraded: boolean[];
  /** Batch answered 200: each entity's outcome, in request order. */
  items: Outcome[];
}>;

type Options = Readonly<{ checkTopLabel: boolean }>;
type Json = Record<string, unknown>;

const isRecord = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const LABELS: ReadonlySet<string> = new Set(INTEREST_LABELS);

/** A response header, matched case-insensitively (k6 canonicalises names; proxies may not). */
export function headerValue(headers: Readonly<Record<string, string>>, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const key of Object.keys(headers)) if (key.toLowerCase() === wanted) return headers[key];
  return undefined;
}

function parseJson(body: string | ArrayBuffer | null): unknown {
  if (typeof body !== 'string') return undefined;
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return undefined;
  }
}

/** Classifies a response and runs the shape checks its expectation calls for. Never throws. */
export function inspectResponse(response: ResponseLike, expectation: Expectation, options: Options): Inspection {
  const shed = response.status === 503 && (headerValue(response.headers, 'Retry-After') ?? '') !== '';
  const success = response.status >= 200 && response.status < 300;
  const statusCheck = { [CHECK.status]: success || shed };
  if (!success) return { outcome: shed ? 'shed' : 'error', checks: statusCheck, degraded: [], items: [] };

  const shape = inspectBody(response, expectation, options);
  const allPass = Object.values(shape.checks).every(Boolean);
  return { ...shape, outcome: allPass ? 'ok' : 'error', checks: { ...statusCheck, ...shape.checks } };
}

function inspectBody(response: ResponseLike, expectation: Expectation, options: Options) {
  switch (expectation.kind) {
    case 'score': {
      const entity = inspectEntity(parseJson(response.body), expectation.entityId, expectation, options);
      return { checks: entity.checks, degraded: entity.degraded === undefined ? [] : [entity.degraded], items: [] };
    }
    case 'score-batch':
      return inspectBatch(parseJson(response.body), expectation, options);
    case 'infer':
      return { checks: inspectInference(response, expectation), degraded: [], items: [] };
  }
}

type EntityExpectation = Readonly<{ model: string | undefined; topK: number | undefined }>;

function inspectEntity(value: unknown, entityId: string, expected: EntityExpectation, options: Options) {
  const body = isRecord(value) ? value : {};
  const degraded = Array.isArray(body['degraded']) ? body['degraded'].length > 0 : undefined;
  const scores = Array.isArray(body['scores']) ? body['scores'] : undefined;
  const entries = (scores ?? []).map((item) => (isRecord(item) ? item : {}));
  const checks: Record<string, boolean> = {
    [CHECK.identity]:
      body['entityId'] === entityId &&
      typeof body['model'] === 'string' &&
      (expected.model === undefined || body['model'] === expected.model) &&
      typeof body['modelVersion'] === 'string' &&
      degraded !== undefined,
    [CHECK.labels]:
      scores !== undefined &&
      entries.length === (expected.topK === undefined ? LABEL_COUNT : Math.min(expected.topK, LABEL_COUNT)) &&
      entries.every((entry) => typeof entry['label'] === 'string' && LABELS.has(entry['label'])) &&
      new Set(entries.map((entry) => entry['label'])).size === entries.length &&
      entries.every((entry) => typeof entry['score'] === 'number' && Number.isFinite(entry['score'])),
    [CHECK.sorted]:
      scores !== undefined &&
      entries.every((entry, i) => i === 0 || Number(entries[i - 1]?.['score']) >= Number(entry['score'])),
  };
  if (options.checkTopLabel && degraded === false) {
    checks[CHECK.topLabel] = entries[0]?.['label'] === categoryOf(entityId);
  }
  return { checks, degraded };
}

function inspectBatch(
  value: unknown,
  expected: Extract<Expectation, { kind: 'score-batch' }>,
  options: Options,
): { checks: Record<string, boolean>; degraded: boolean[]; items: Outcome[] } {
  const results = isRecord(value) && Array.isArray(value['results']) ? value['results'] : undefined;
  const inOrder =
    results !== undefined &&
    results.length === expected.entityIds.length &&
    results.every((item, i) => isRecord(item) && item['entityId'] === expected.entityIds[i]);
  const checks: Record<string, boolean> = { [CHECK.batchOrder]: inOrder };
  const degraded: boolean[] = [];
  const items: Outcome[] = [];
  (results ?? []).forEach((item, i) => {
    const problem = isRecord(item) ? item['error'] : undefined;
    if (isRecord(problem)) {
      items.push(problem['status'] === 503 ? 'shed' : 'error');
      return;
    }
    const entity = inspectEntity(item, expected.entityIds[i] ?? '', expected, options);
    // A check holds for the batch when it holds for every scored entity.
    for (const [name, passed] of Object.entries(entity.checks)) checks[name] = (checks[name] ?? true) && passed;
    if (entity.degraded !== undefined) degraded.push(entity.degraded);
    items.push(Object.values(entity.checks).every(Boolean) ? 'ok' : 'error');
  });
  return { checks, degraded, items };
}

function inspectInference(response: ResponseLike, expected: Extract<Expectation, { kind: 'infer' }>) {
  const size = expected.rows * LABEL_COUNT;
  let header: unknown;
  let values: readonly unknown[] | undefined;
  const checks: Record<string, boolean> = {};
  if (expected.binary) {
    const length = Number(headerValue(response.headers, INFERENCE_HEADER_LENGTH));
    const split = response.body instanceof ArrayBuffer ? splitBinaryInferResponse(response.body, length) : undefined;
    header = split?.header;
    const tensor = findScores(header);
    const byteSize = isRecord(tensor?.['parameters']) ? tensor['parameters']['binary_data_size'] : undefined;
    checks[CHECK.framing] = split !== undefined && byteSize === size * 4 && split.binary.byteLength === size * 4;
    values = split === undefined || byteSize !== size * 4 ? undefined : readFloat32s(split.binary, size);
  } else {
    header = parseJson(response.body);
    const data = findScores(header)?.['data'];
    values = Array.isArray(data) ? data : undefined;
  }
  const tensor = findScores(header);
  const shape = Array.isArray(tensor?.['shape']) ? tensor['shape'] : [];
  checks[CHECK.output] =
    tensor?.['datatype'] === 'FP32' && shape.length === 2 && shape[0] === expected.rows && shape[1] === LABEL_COUNT;
  checks[CHECK.finite] =
    values !== undefined && values.length === size && values.every((v) => typeof v === 'number' && Number.isFinite(v));
  checks[CHECK.modelName] = isRecord(header) && header['model_name'] === expected.model;
  return checks;
}

function findScores(header: unknown): Json | undefined {
  const outputs = isRecord(header) && Array.isArray(header['outputs']) ? header['outputs'] : [];
  return outputs.find((output): output is Json => isRecord(output) && output['name'] === SCORES_OUTPUT);
}

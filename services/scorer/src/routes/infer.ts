import { Hono, type Context } from 'hono';
import { HEADER, BINARY_INFERENCE_CONTENT_TYPE } from '@splitserve/contracts';
import { BodyTooLargeError, readBody, setResponseHeader } from '@splitserve/service-kit';
import type { ScorerDeps, ScorerEnv } from '../app.ts';
import { invalidInput, isScorerError, ScorerError, unavailable } from '../errors.ts';
import type { Outcome } from '../observability/metrics.ts';
import { decodeInferenceRequest } from '../tensors/decode-request.ts';
import { encodeInferenceResponse } from '../tensors/encode-response.ts';

/**
 * `POST /v2/models/{name}[/versions/{version}]/infer`: JSON or binary-extension tensors in and out. The request is
 * checked against the model before it is queued, and answered by its deadline: `X-Request-Timeout-Ms`, the
 * `timeout` parameter (µs), or the server default, whichever is shortest, capped by the server maximum.
 */
export function createInferRoutes(deps: Pick<ScorerDeps, 'registry' | 'metrics' | 'lifecycle' | 'limits'>) {
  const infer = async (c: Context<ScorerEnv>) => {
    const arrivedAt = performance.now();
    if (deps.lifecycle.refusing) throw unavailable('SHUTTING_DOWN', 'the server is shutting down');
    const model = deps.registry.resolve(c.req.param('name')!, c.req.param('version'));
    const loaded = model.loaded;
    if (loaded === undefined) {
      throw unavailable('MODEL_NOT_READY', `model '${model.name}' version ${model.version} is not ready`);
    }
    const recorder = deps.metrics.forModel(model.name, model.version);
    try {
      const headerTimeoutMs = positiveInteger(c.req.header(HEADER.requestTimeoutMs), HEADER.requestTimeoutMs);
      const jsonByteLength = positiveInteger(
        c.req.header(HEADER.inferenceHeaderContentLength),
        HEADER.inferenceHeaderContentLength,
        0,
      );
      const body = await readBody(c, deps.limits.maxBodyBytes).catch((error: unknown) => {
        if (!(error instanceof BodyTooLargeError)) throw invalidInput('the body ended early', 'INVALID_REQUEST');
        // The rest of the body is never read, so the connection cannot carry another request.
        c.header('connection', 'close');
        throw new ScorerError('PAYLOAD_TOO_LARGE', 413, error.message);
      });
      const request = decodeInferenceRequest(body, jsonByteLength, loaded);
      const asked = Math.min(headerTimeoutMs ?? Infinity, request.timeoutMs ?? Infinity);
      const timeoutMs = Math.min(deps.limits.maxTimeoutMs, asked === Infinity ? deps.limits.defaultTimeoutMs : asked);
      const result = await model.submit({
        inputs: request.inputs,
        rows: request.rows,
        shapeKey: request.shapeKey,
        outputNames: request.outputs.map((output) => output.name),
        deadlineAt: arrivedAt + timeoutMs,
      });
      const encoded = encodeInferenceResponse(
        { modelName: model.name, modelVersion: model.version, id: request.id },
        result.outputs,
        request.outputs,
      );
      recorder.queued(result.queueMs / 1000);
      recorder.requestFinished('ok', (performance.now() - arrivedAt) / 1000);
      // Headers as a plain record (one, so that Hono passes it on as it is) keep @hono/node-server's fast path.
      if (encoded.jsonByteLength === undefined) {
        return c.body(encoded.body as string, 200, { 'content-type': 'application/json' });
      }
      setResponseHeader(c, HEADER.inferenceHeaderContentLength, String(encoded.jsonByteLength));
      return c.body(encoded.body as Uint8Array<ArrayBuffer>, 200, { 'content-type': BINARY_INFERENCE_CONTENT_TYPE });
    } catch (error) {
      recorder.requestFinished(outcomeOf(error));
      throw error;
    }
  };

  return new Hono<ScorerEnv>()
    .post('/v2/models/:name/infer', infer)
    .post('/v2/models/:name/versions/:version/infer', infer);
}

function positiveInteger(value: string | undefined, header: string, min = 1): number | undefined {
  if (value === undefined) return undefined;
  const parsed = /^\d{1,10}$/.test(value.trim()) ? Number(value) : NaN;
  if (!(parsed >= min)) throw invalidInput(`${header} must be an integer of at least ${min}`, 'INVALID_REQUEST');
  return parsed;
}

function outcomeOf(error: unknown): Outcome {
  if (!isScorerError(error)) return 'failed';
  switch (error.code) {
    case 'OVERLOADED':
      return 'overloaded';
    case 'DEADLINE_EXCEEDED':
      return 'expired';
    case 'MODEL_NOT_READY':
      return 'not_ready';
    case 'SHUTTING_DOWN':
      return 'shutting_down';
    default:
      return error.status < 500 ? 'bad_request' : 'failed';
  }
}

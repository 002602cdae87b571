import type { Dispatcher } from 'undici';
import {
  BINARY_INFERENCE_CONTENT_TYPE,
  decodeFixedSize,
  HEADER,
  joinInferenceBody,
  modelMetadataSchema,
  splitInferenceBody,
  type ModelMetadata,
} from '@splitserve/contracts';
import type { Dependency } from './dependency.ts';
import type { CallContext } from './feature-source.ts';
import { parseJsonObject, sendRequest } from './http-json.ts';
import { parseInferenceResponse } from './inference-response.ts';
import { UpstreamError } from './upstream-error.ts';

/** Adds credentials for the scorer (none locally; an ID token on Cloud Run). */
export type AuthHeaders = (signal: AbortSignal) => Promise<Record<string, string>>;

export type ScorerClientOptions = {
  dispatcher: Dispatcher;
  dependency: Dependency;
  auth?: AuthHeaders;
};

/** One FP32 matrix: `rows` × `columns`, row-major. */
export type Matrix = { data: Float32Array; rows: number; columns: number };

/** The scorer, as the gateway calls it. */
export type ScorerClient = {
  /** Runs `model` on an FP32 matrix input and returns one FP32 output, both as binary tensors. */
  infer(
    target: { model: string; version?: string | undefined; input: string; output: string },
    input: Matrix,
    context: CallContext,
  ): Promise<Matrix & { modelVersion: string | undefined }>;
  metadata(model: string, version: string | undefined, context: CallContext): Promise<ModelMetadata>;
  /**
   * The failure a call made now would meet without reaching the scorer (its circuit is open), or `undefined` when
   * a call may proceed. Lets a request fail fast before it fetches features it could not score.
   */
  refusal(): UpstreamError | undefined;
};

const NAME = 'scorer';

/**
 * A client for the scorer's Open Inference Protocol API under the scorer's dependency policies. Tensors travel in
 * Triton's binary extension both ways, so no float is printed or parsed as text.
 */
export function createScorerClient(options: ScorerClientOptions): ScorerClient {
  const modelPath = (model: string, version: string | undefined) =>
    `/v2/models/${encodeURIComponent(model)}${version === undefined ? '' : `/versions/${encodeURIComponent(version)}`}`;
  const { auth } = options;
  return {
    refusal() {
      return options.dependency.refusesCalls() ? new UpstreamError(NAME, 'circuit-open', 'circuit open') : undefined;
    },

    infer(target, input, context) {
      const header = {
        inputs: [
          {
            name: target.input,
            shape: [input.rows, input.columns],
            datatype: 'FP32',
            parameters: { binary_data_size: input.data.byteLength },
          },
        ],
        outputs: [{ name: target.output, parameters: { binary_data: true } }],
      };
      const { body, jsonByteLength } = joinInferenceBody(header, [
        new Uint8Array(input.data.buffer, input.data.byteOffset, input.data.byteLength),
      ]);
      return options.dependency.call(async (signal) => {
        // Locally there are no credentials, and no await: each one is a promise and a turn of the microtask queue.
        const credentials = auth === undefined ? undefined : await auth(signal);
        const response = await sendRequest(
          options.dispatcher,
          NAME,
          {
            method: 'POST',
            path: `${modelPath(target.model, target.version)}/infer`,
            headers: {
              ...context.headers,
              ...credentials,
              'content-type': BINARY_INFERENCE_CONTENT_TYPE,
              [HEADER.inferenceHeaderContentLength]: String(jsonByteLength),
            },
            body,
          },
          context.deadline,
          signal,
        );
        return readOutput(response, target.output, input.rows);
      }, context.deadline);
    },

    metadata(model, version, context) {
      return options.dependency.call(
        async (signal) => {
          const credentials = auth === undefined ? undefined : await auth(signal);
          const response = await sendRequest(
            options.dispatcher,
            NAME,
            { method: 'GET', path: modelPath(model, version), headers: { ...context.headers, ...credentials } },
            context.deadline,
            signal,
          );
          const parsed = modelMetadataSchema.safeParse(parseJsonObject(NAME, response.body));
          if (!parsed.success) throw new UpstreamError(NAME, 'invalid-body', 'model metadata of an unexpected shape');
          return parsed.data;
        },
        context.deadline,
        { idempotent: true },
      );
    },
  };
}

function readOutput(
  response: { headers: Record<string, string | string[] | undefined>; body: Buffer },
  output: string,
  rows: number,
): Matrix & { modelVersion: string | undefined } {
  const length = Number(response.headers[HEADER.inferenceHeaderContentLength]);
  const { json, binary } = Number.isSafeInteger(length)
    ? splitInferenceBody(response.body, length)
    : { json: response.body, binary: new Uint8Array(0) };
  const parsed = parseInferenceResponse(
    parseJsonObject(NAME, Buffer.from(json.buffer, json.byteOffset, json.byteLength)),
  );
  if (parsed === undefined)
    throw new UpstreamError(NAME, 'invalid-body', 'an inference response of an unexpected shape');
  let offset = 0;
  for (const tensor of parsed.outputs) {
    const size = tensor.parameters?.['binary_data_size'];
    if (tensor.name === output && tensor.datatype === 'FP32' && tensor.shape[0] === rows && tensor.shape.length === 2) {
      const columns = tensor.shape[1]!;
      const data =
        typeof size === 'number'
          ? (decodeFixedSize('FP32', binary.subarray(offset, offset + size)) as Float32Array)
          : Float32Array.from((tensor.data ?? []) as number[]);
      if (data.length !== rows * columns) break;
      return { data, rows, columns, modelVersion: parsed.model_version };
    }
    if (typeof size === 'number') offset += size;
  }
  throw new UpstreamError(NAME, 'invalid-body', `no FP32 [${rows}, n] output '${output}' in the response`);
}

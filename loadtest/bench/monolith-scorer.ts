// The monolith's model: the gateway's ScorerClient answered by an onnxruntime session on the gateway's own event loop.
// Bench-only: the gateway itself never imports onnxruntime.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import ort from 'onnxruntime-node';
import type { MetadataTensor, ModelMetadata } from '@splitserve/contracts';
import type { ScorerClient } from '../../services/io-gateway/src/upstream/scorer-client.ts';
import { UpstreamError } from '../../services/io-gateway/src/upstream/upstream-error.ts';
import { RAW_SESSION_OPTIONS } from './raw-onnxruntime.ts';

const NAME = 'scorer';
const VERSION = '1';

/** The in-process scorer and the session it holds. */
export type InProcessScorer = ScorerClient & { close(): Promise<void> };

/**
 * Loads `<repository>/<model>/1/model.onnx` (and its optional config.json: `labels`, `maxBatchSize`) into one
 * session with the scorer workers' settings (one intra-op thread, so onnxruntime computes on the calling thread).
 * onnxruntime-node's `session.run` defers to `setImmediate` and then runs synchronously, so every inference blocks
 * the event loop for its whole duration: the monolith of the seed's comparison. Requests whose deadline has passed
 * are refused before they run, as the scorer's queue does. Rejects when the model cannot be loaded.
 */
export async function createInProcessScorer(repository: string, model: string): Promise<InProcessScorer> {
  const session = await ort.InferenceSession.create(
    path.join(repository, model, VERSION, 'model.onnx'),
    RAW_SESSION_OPTIONS,
  );
  const config = await readConfig(path.join(repository, model, 'config.json'));
  const metadata: ModelMetadata = {
    name: model,
    versions: [VERSION],
    platform: 'onnxruntime_onnx',
    inputs: session.inputMetadata.map(tensorMetadata),
    outputs: session.outputMetadata.map(tensorMetadata),
    parameters: {
      max_batch_size: config.maxBatchSize ?? 0,
      ...(config.labels !== undefined && { labels: config.labels }),
    },
  };

  return {
    refusal: () => undefined,
    metadata(name) {
      if (name !== model) {
        return Promise.reject(new UpstreamError(NAME, 'status', `no model '${name}'`, { status: 404 }));
      }
      return Promise.resolve(metadata);
    },
    async infer(target, input, context) {
      if (target.model !== model)
        throw new UpstreamError(NAME, 'status', `no model '${target.model}'`, { status: 404 });
      if (context.deadline.remainingMs() <= 0) throw new UpstreamError(NAME, 'deadline', 'deadline passed');
      const feeds = { [target.input]: new ort.Tensor('float32', input.data, [input.rows, input.columns]) };
      const outputs = await session.run(feeds, [target.output]);
      const tensor = outputs[target.output]!;
      const columns = Number(tensor.dims[1]);
      return { data: tensor.data as Float32Array, rows: input.rows, columns, modelVersion: VERSION };
    },
    close: () => session.release(),
  };
}

type ModelConfig = { labels?: Record<string, string[]>; maxBatchSize?: number };

async function readConfig(file: string): Promise<ModelConfig> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as ModelConfig;
  } catch (error) {
    if ((error as { code?: string }).code === 'ENOENT') return {};
    throw error;
  }
}

const DATATYPES: Record<string, MetadataTensor['datatype']> = {
  float32: 'FP32',
  float64: 'FP64',
  int32: 'INT32',
  int64: 'INT64',
};

function tensorMetadata(value: ort.InferenceSession.ValueMetadata): MetadataTensor {
  if (!value.isTensor) return { name: value.name, datatype: 'BYTES', shape: [-1] };
  return {
    name: value.name,
    datatype: DATATYPES[value.type] ?? 'BYTES',
    shape: value.shape.map((dim) => (typeof dim === 'number' ? dim : -1)),
  };
}

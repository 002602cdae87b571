// The floor's three upstream calls, with no framework and no policies: the work any gateway doing this job must do.
import type { Pool } from 'undici';
import { BINARY_INFERENCE_CONTENT_TYPE, HEADER, joinInferenceBody, splitInferenceBody } from '@splitserve/contracts';
import { compileFeatureRowWriter } from '../../services/io-gateway/src/features/feature-vector.ts';
import type { Pipeline } from '../../services/io-gateway/src/features/pipeline-schema.ts';
import { createHttpPool } from '../../services/io-gateway/src/upstream/http-pool.ts';

/** The gateway's default `SCORER_CONNECTIONS`. */
const SCORER_CONNECTIONS = 64;

/** Scores one entity: its sources fetched in parallel, one feature row, one scorer call. */
export type FloorScoring = {
  /** The model's output row. Rejects on any failed call, non-2xx answer or body that does not parse. */
  score(entityId: string): Promise<Float32Array>;
  close(): Promise<void>;
};

/**
 * The calls `POST /v1/score` makes, made plainly: one GET per pipeline source (read as JSON), the pipeline's
 * compiled feature row (the gateway's own code, so both sides do the same feature work), and one binary-tensor
 * inference request to the scorer. Pools are the gateway's (same keep-alive, connections and size cap).
 */
export function createFloorScoring(pipeline: Pipeline, scorerUrl: string): FloorScoring {
  const writeRow = compileFeatureRowWriter(pipeline);
  const sources = Object.entries(pipeline.sources).map(([name, source]) => {
    const [before, after = ''] = source.path.split('{entityId}');
    return { name, pool: createHttpPool(source.baseUrl, source.connections), before: before!, after };
  });
  const scorer = createHttpPool(scorerUrl, SCORER_CONNECTIONS);
  const { model, input, output } = pipeline.scorer;
  const inferPath = `/v2/models/${encodeURIComponent(model)}/infer`;
  const rowBytes = pipeline.width * Float32Array.BYTES_PER_ELEMENT;
  const header = {
    inputs: [{ name: input, shape: [1, pipeline.width], datatype: 'FP32', parameters: { binary_data_size: rowBytes } }],
    outputs: [{ name: output, parameters: { binary_data: true } }],
  };

  const infer = async (row: Float32Array): Promise<Float32Array> => {
    const { body, jsonByteLength } = joinInferenceBody(header, [new Uint8Array(row.buffer)]);
    const response = await scorer.request({
      method: 'POST',
      path: inferPath,
      headers: {
        'content-type': BINARY_INFERENCE_CONTENT_TYPE,
        [HEADER.inferenceHeaderContentLength]: String(jsonByteLength),
      },
      body,
    });
    const bytes = new Uint8Array(await response.body.arrayBuffer());
    if (response.statusCode !== 200) throw new Error(`the scorer answered ${response.statusCode}`);
    const { json, binary } = splitInferenceBody(bytes, Number(response.headers[HEADER.inferenceHeaderContentLength]));
    const parsed = JSON.parse(Buffer.from(json).toString('utf8')) as {
      outputs: { name: string; parameters?: { binary_data_size?: number } }[];
    };
    let offset = 0;
    for (const tensor of parsed.outputs) {
      const size = tensor.parameters?.binary_data_size ?? 0;
      if (tensor.name === output) return new Float32Array(binary.slice(offset, offset + size).buffer);
      offset += size;
    }
    throw new Error(`no output ${output} in the scorer's answer`);
  };

  return {
    async score(entityId) {
      const id = encodeURIComponent(entityId);
      const bodies = await Promise.all(
        sources.map((source) => getJson(source.pool, source.before + id + source.after)),
      );
      const raw = Object.fromEntries(sources.map((source, i) => [source.name, bodies[i]]));
      const row = new Float32Array(pipeline.width);
      writeRow(raw, row, 0);
      return infer(row);
    },
    async close() {
      await Promise.all([...sources.map((source) => source.pool.close()), scorer.close()]);
    },
  };
}

async function getJson(pool: Pool, path: string): Promise<unknown> {
  const response = await pool.request({ method: 'GET', path });
  if (response.statusCode === 200) return response.body.json();
  await response.body.dump();
  throw new Error(`GET ${path} answered ${response.statusCode}`);
}

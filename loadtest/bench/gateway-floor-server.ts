// The gateway floor: a bare node:http server answering `POST /v1/score` with the same three upstream calls as the
// gateway (see gateway-floor-calls.ts), and nothing else: no framework, no middleware, no validation beyond
// JSON.parse, no policies, no metrics. Whatever the gateway costs beyond this server is its own. Reads the
// gateway's variables (PORT, HOST, SCORER_URL, PIPELINES and the pipeline's base-URL overrides) and logs the same
// one-line JSON `listening`, so the harness starts both alike.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { fileURLToPath } from 'node:url';
import { loadPipeline } from '../../services/io-gateway/src/features/load-pipeline.ts';
import { serveBare } from './bare-server.ts';
import { createFloorScoring } from './gateway-floor-calls.ts';

const DEMO_PIPELINE = fileURLToPath(new URL('../../services/io-gateway/pipelines/interests.yaml', import.meta.url));

const pipeline = await loadPipeline(process.env['PIPELINES'] || DEMO_PIPELINE, process.env);
const scoring = createFloorScoring(pipeline, process.env['SCORER_URL'] ?? 'http://127.0.0.1:8081');

await serveBare(answer, {
  port: Number(process.env['PORT'] ?? 0),
  host: process.env['HOST'] ?? '127.0.0.1',
  errorStatus: 502,
  close: () => scoring.close(),
});

async function answer(request: IncomingMessage, body: Buffer, response: ServerResponse): Promise<void> {
  if (request.method !== 'POST' || request.url !== '/v1/score') {
    response.writeHead(404).end();
    return;
  }
  let entityId: unknown;
  try {
    entityId = (JSON.parse(body.toString('utf8')) as { entityId?: unknown }).entityId;
  } catch {
    response.writeHead(400).end();
    return;
  }
  const scores = await scoring.score(String(entityId));
  const json = Buffer.from(JSON.stringify({ entityId, scores: Array.from(scores) }));
  response.writeHead(200, { 'content-type': 'application/json', 'content-length': json.byteLength });
  response.end(json);
}

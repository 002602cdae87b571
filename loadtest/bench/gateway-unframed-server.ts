// The gateway without its HTTP layer, for gateway-compare.ts: the gateway's own scoring (configuration, pipelines,
// every dependency's policies, the scorer client, the ranked answer) behind bare node:http, as the floor serves
// its calls. What the gateway costs beyond this server is Hono, @hono/node-server and the per-request layer around
// the scoring (request id, security headers, metrics, body checks, problem details); what this server costs beyond
// the floor is the policies and the pipeline. Reads the gateway's variables and logs the same `listening` line.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { buildScoring } from '../../services/io-gateway/src/build-scoring.ts';
import { loadConfig } from '../../services/io-gateway/src/config.ts';
import { createGatewayMetrics } from '../../services/io-gateway/src/observability/metrics.ts';
import { scoreEntities } from '../../services/io-gateway/src/scoring/score-entities.ts';
import { deadlineIn } from '../../services/io-gateway/src/upstream/deadline.ts';
import { serveBare } from './bare-server.ts';

const config = await loadConfig(process.env);
const scoring = buildScoring(config, createGatewayMetrics());
const served = scoring.pipelines.get(scoring.defaultPipeline)!;

await serveBare(answer, {
  port: config.port,
  host: config.host,
  errorStatus: 500,
  close: () => scoring.close(),
});

async function answer(_request: IncomingMessage, body: Buffer, response: ServerResponse): Promise<void> {
  const { entityId } = JSON.parse(body.toString('utf8')) as { entityId: string };
  const deadline = deadlineIn(config.requestTimeoutMs);
  const [result] = await scoreEntities(
    served.pipeline,
    scoring.scorer,
    [entityId],
    { deadline, headers: {} },
    {
      topK: undefined,
      fetchConcurrency: config.batchFetchConcurrency,
      modelInfo: served.modelInfo,
    },
  );
  deadline.release();
  const failed = 'error' in result!;
  const json = JSON.stringify(failed ? result.error.toProblem('') : result);
  response.writeHead(failed ? result.error.status : 200, { 'content-type': 'application/json' });
  response.end(json);
}

// The gateway without its HTTP layer, for gateway-compare.ts: the gateway's own scoring (configuration, pipelines,
// every dependency's policies, the scorer client, the ranked answer) behind bare node:http, as the floor serves
// its calls. What the gateway costs beyond this server is Hono, @hono/node-server and the per-request layer around
// the scoring (request id, security headers, metrics, body checks, problem details); what this server costs beyond
// the floor is the policies and the pipeline. Reads the gateway's variables and logs the same `listening` line.
import { once } from 'node:events';
import { createServer, type ServerResponse } from 'node:http';
import { buildScoring } from '../../services/io-gateway/src/build-scoring.ts';
import { loadConfig } from '../../services/io-gateway/src/config.ts';
import { createGatewayMetrics } from '../../services/io-gateway/src/observability/metrics.ts';
import { scoreEntities } from '../../services/io-gateway/src/scoring/score-entities.ts';
import { deadlineIn } from '../../services/io-gateway/src/upstream/deadline.ts';

const config = await loadConfig(process.env);
const scoring = buildScoring(config, createGatewayMetrics());
const served = scoring.pipelines.get(scoring.defaultPipeline)!;

const server = createServer((request, response) => {
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', () => {
    answer(Buffer.concat(chunks), response).catch((error: unknown) => {
      if (!response.headersSent) response.writeHead(500, { 'content-type': 'text/plain' });
      response.end(String(error));
    });
  });
});

async function answer(body: Buffer, response: ServerResponse): Promise<void> {
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

server.listen(config.port, config.host);
await once(server, 'listening');
console.log(JSON.stringify({ message: 'listening', address: server.address() }));
process.once('SIGTERM', () => {
  server.close(() => {
    scoring.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
  server.closeIdleConnections();
});

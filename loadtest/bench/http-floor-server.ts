// The HTTP floor: a bare node:http server that reads and JSON-parses the request body, as the scorer must, and
// answers a fixed small JSON. Whatever the scorer costs beyond this server (and beyond onnxruntime) is its own.
// Logs the same one-line JSON as the scorer so the harness starts both alike.
import { once } from 'node:events';
import { createServer } from 'node:http';

const RESPONSE = Buffer.from(
  JSON.stringify({
    model_name: 'floor',
    outputs: [{ name: 'scores', datatype: 'FP32', shape: [1, 16], data: Array.from({ length: 16 }, () => 0.5) }],
  }),
);

const server = createServer((request, response) => {
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', () => {
    try {
      if (chunks.length > 0) JSON.parse(Buffer.concat(chunks).toString('utf8'));
      response.writeHead(200, { 'content-type': 'application/json', 'content-length': RESPONSE.byteLength });
      response.end(RESPONSE);
    } catch {
      response.writeHead(400).end();
    }
  });
});
server.listen(0, '127.0.0.1');
await once(server, 'listening');
console.log(JSON.stringify({ message: 'listening', address: server.address() }));
process.once('SIGTERM', () => {
  server.close();
  server.closeIdleConnections();
});

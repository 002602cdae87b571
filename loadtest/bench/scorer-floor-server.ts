// What the scorer's single-row path costs at the least: a bare node:http server that parses an inference request's
// JSON, runs every model of MODEL_REPOSITORY with the scorer workers' session settings, and answers the first output
// as OIP JSON, with nothing else (no routing, validation, queue, deadlines or metrics). FLOOR_RUN=inline runs the
// session on the event loop; FLOOR_RUN=worker hands each request to one worker thread per model and back, as the
// scorer does. scorer-compare.ts runs it as the variants `floor-inline` and `floor-worker`.
import { once } from 'node:events';
import { readdirSync } from 'node:fs';
import { createServer } from 'node:http';
import path from 'node:path';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import ort from 'onnxruntime-node';
import { RAW_SESSION_OPTIONS } from './raw-onnxruntime.ts';

type Feeds = { name: string; data: Float32Array; dims: number[] };
type Run = (feeds: Feeds) => Promise<{ data: Float32Array; dims: readonly number[] }>;

async function openSession(modelPath: string): Promise<Run> {
  const session = await ort.InferenceSession.create(modelPath, RAW_SESSION_OPTIONS);
  const output = session.outputNames[0]!;
  return async ({ name, data, dims }) => {
    const results = await session.run({ [name]: new ort.Tensor('float32', data, dims) });
    const tensor = results[output]!;
    return { data: tensor.data as Float32Array, dims: tensor.dims };
  };
}

if (!isMainThread) {
  const run = await openSession(workerData as string);
  parentPort!.on('message', (feeds: Feeds) => {
    void run(feeds).then((result) => {
      const data = result.data.slice();
      parentPort!.postMessage({ data, dims: result.dims }, [data.buffer]);
    });
  });
  parentPort!.postMessage('ready');
} else {
  const repository = process.env['MODEL_REPOSITORY'] ?? '';
  const onWorker = process.env['FLOOR_RUN'] === 'worker';
  const runs = new Map<string, Run>();
  for (const name of readdirSync(repository)) {
    const modelPath = path.join(repository, name, '1', 'model.onnx');
    runs.set(name, onWorker ? await startWorker(modelPath) : await openSession(modelPath));
  }
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const model = /^\/v2\/models\/([^/]+)\/infer$/.exec(request.url ?? '')?.[1] ?? '';
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
        inputs: { name: string; shape: number[]; data: number[] }[];
      };
      const input = body.inputs[0]!;
      void runs.get(model)!({ name: input.name, data: new Float32Array(input.data), dims: input.shape }).then(
        ({ data, dims }) => {
          const text = JSON.stringify({
            model_name: model,
            outputs: [{ name: 'scores', datatype: 'FP32', shape: dims, data: Array.from(data) }],
          });
          response.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
          response.end(text);
        },
      );
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  // The log lines the harness waits for, as the scorer writes them.
  console.log(JSON.stringify({ message: 'listening', address: server.address() }));
  console.log(JSON.stringify({ message: 'ready' }));
  process.once('SIGTERM', () => {
    server.close();
    server.closeIdleConnections();
    process.exit(0);
  });
}

/** One worker thread holding the session; requests go to it one at a time (the harness sends one at a time). */
async function startWorker(modelPath: string): Promise<Run> {
  const worker = new Worker(new URL(import.meta.url), { workerData: modelPath });
  await once(worker, 'message');
  let answer: ((result: { data: Float32Array; dims: number[] }) => void) | undefined;
  worker.on('message', (result: { data: Float32Array; dims: number[] }) => answer?.(result));
  return (feeds) =>
    new Promise((resolve) => {
      answer = resolve;
      worker.postMessage(feeds, [feeds.data.buffer as ArrayBuffer]);
    });
}

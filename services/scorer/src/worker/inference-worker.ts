// Runs inside a worker thread: owns one onnxruntime session and runs one batch at a time, so `session.run`, which
// blocks its calling thread for the whole inference, never touches the host's event loop.
import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import ort from 'onnxruntime-node';
import type { HostMessage, WarmupRun, WireTensor, WireValueInfo, WorkerInit, WorkerMessage } from './protocol.ts';
import { warmupFeeds } from './warmup-feeds.ts';

// onnxruntime-common hands float16 data to the binding as a Float16Array whenever the global exists (Node >= 24),
// and the 1.30 binding reads a Float16Array as zero bytes (microsoft/onnxruntime PR #32323). Hidden in this thread
// only, float16 data stays in Uint16Array, which the binding reads correctly.
Reflect.deleteProperty(globalThis, 'Float16Array');

const init = workerData as WorkerInit;
const port = parentPort;
if (port === null) throw new Error('inference-worker.ts must run in a worker thread');

function post(message: WorkerMessage, transfer: ArrayBuffer[] = []): void {
  port!.postMessage(message, transfer);
}

function describe(metadata: readonly ort.InferenceSession.ValueMetadata[]): WireValueInfo[] {
  return metadata.map((m) =>
    m.isTensor
      ? { name: m.name, type: m.type, isTensor: true, shape: [...m.shape] }
      : { name: m.name, type: 'non-tensor', isTensor: false, shape: [] },
  );
}

async function load(): Promise<{ session: ort.InferenceSession; warmup: WarmupRun[] }> {
  // Linux niceness is per thread and inherited by threads created later, so onnxruntime's intra-op pool,
  // created by InferenceSession.create below, runs at this priority too.
  if (init.nice > 0) setPriority(init.nice);
  const session = await ort.InferenceSession.create(init.modelPath, {
    intraOpNumThreads: init.intraOpThreads,
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: 'all',
  });
  const inputs = describe(session.inputMetadata);
  // The last round's times seed the host's cost model (earlier rounds still allocate and fault pages in).
  let warmup: WarmupRun[] = [];
  for (let i = 0; i < init.warmupRuns; i++) {
    warmup = [];
    for (const rows of new Set([1, init.warmupBatchRows])) {
      const feeds = warmupFeeds(inputs, rows);
      const started = performance.now();
      await session.run(feeds);
      warmup.push({ rows, ms: performance.now() - started });
    }
  }
  return { session, warmup };
}

function toWire(tensor: ort.Tensor): { wire: WireTensor; transfer: ArrayBuffer[] } {
  const data = tensor.data;
  const wire: WireTensor = { type: tensor.type as WireTensor['type'], dims: [...tensor.dims], data };
  if (Array.isArray(data)) return { wire, transfer: [] };
  // A view into a larger buffer would drag (and detach) the whole buffer across: copy it instead.
  if (data.byteOffset !== 0 || data.byteLength !== data.buffer.byteLength || !(data.buffer instanceof ArrayBuffer)) {
    wire.data = data.slice();
  }
  return { wire, transfer: [(wire.data as Exclude<WireTensor['data'], string[]>).buffer as ArrayBuffer] };
}

async function run(session: ort.InferenceSession, message: HostMessage): Promise<void> {
  // Test-only faults (the host sends them only when fault injection is enabled): die while holding the batch.
  if (message.fault === 'exit') process.exit(70);
  if (message.fault === 'throw') throw new Error('fault injected: worker crashed mid-batch');
  const feeds: Record<string, ort.Tensor> = {};
  for (const [name, t] of Object.entries(message.inputs)) feeds[name] = new ort.Tensor(t.type, t.data, t.dims);
  const started = performance.now();
  try {
    const results = await session.run(feeds, message.outputNames);
    const computeMs = performance.now() - started;
    const outputs: Record<string, WireTensor> = {};
    const transfer: ArrayBuffer[] = [];
    for (const name of message.outputNames) {
      const converted = toWire(results[name]!);
      outputs[name] = converted.wire;
      transfer.push(...converted.transfer);
    }
    post({ type: 'result', batchId: message.batchId, ok: true, outputs, computeMs }, transfer);
  } catch (error) {
    const text = error instanceof Error ? error.message : String(error);
    post({ type: 'result', batchId: message.batchId, ok: false, code: 'INFERENCE_FAILED', message: text });
  }
}

try {
  const { session, warmup } = await load();
  port.on('message', (message: HostMessage) => void run(session, message));
  post({ type: 'ready', inputs: describe(session.inputMetadata), outputs: describe(session.outputMetadata), warmup });
} catch (error) {
  post({ type: 'load-failed', message: error instanceof Error ? error.message : String(error) });
}

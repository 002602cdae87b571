import * as ort from 'onnxruntime-node';
import { ElementType, encodeModel, floatTensor, graph, node, valueInfo } from './onnx-graph.ts';
const g = graph({ name: 'g', nodes: [node('MatMul', ['x', 'W'], ['y'])], inputs: [valueInfo('x', ElementType.float, ['batch', 2])], outputs: [valueInfo('y', ElementType.float, ['batch', 2])], initializers: [floatTensor('W', [2, 2], [1, 2, 3, 4])] });
const bytes = encodeModel(g, 'probe');
const s = await ort.InferenceSession.create(bytes);
const r = await s.run({ x: new ort.Tensor('float32', Float32Array.from([1, 1]), [1, 2]) });
console.log(r.y?.data, s.inputNames, bytes.length);

import onnxProto from 'onnx-proto';
import type { onnx as proto } from 'onnx-proto';

// onnx-proto is CommonJS assigning `module.exports`, so Node cannot see `onnx` as a named export.
const { onnx } = onnxProto;

export type Tensor = proto.ITensorProto;
export type Node = proto.INodeProto;
export type Attribute = proto.IAttributeProto;
export type ValueInfo = proto.IValueInfoProto;
export type Graph = proto.IGraphProto;

/** ONNX tensor element types, by onnxruntime's name for each. */
export const ElementType = {
  float: onnx.TensorProto.DataType.FLOAT,
  uint8: onnx.TensorProto.DataType.UINT8,
  int8: onnx.TensorProto.DataType.INT8,
  uint16: onnx.TensorProto.DataType.UINT16,
  int16: onnx.TensorProto.DataType.INT16,
  int32: onnx.TensorProto.DataType.INT32,
  int64: onnx.TensorProto.DataType.INT64,
  string: onnx.TensorProto.DataType.STRING,
  bool: onnx.TensorProto.DataType.BOOL,
  float16: onnx.TensorProto.DataType.FLOAT16,
  double: onnx.TensorProto.DataType.DOUBLE,
  uint32: onnx.TensorProto.DataType.UINT32,
  uint64: onnx.TensorProto.DataType.UINT64,
} as const;
export type ElementType = (typeof ElementType)[keyof typeof ElementType];

/** A dimension: a fixed size, or a symbolic name (e.g. "batch") for a dynamic one. */
export type Dim = number | string;

/** Versions written into every model; onnxruntime-node 1.30 fully supports both. */
export const IR_VERSION = 8;
export const OPSET_VERSION = 17;

function elementCount(dims: readonly number[]): number {
  return dims.reduce((count, dim) => count * dim, 1);
}

/**
 * Creates an FP32 initializer stored as little-endian raw bytes (compact and exact).
 * Throws when `values` does not match `dims`.
 */
export function floatTensor(name: string, dims: readonly number[], values: ArrayLike<number>): Tensor {
  if (values.length !== elementCount(dims)) {
    throw new Error(`tensor ${name}: ${values.length} values for dims [${dims.join(', ')}]`);
  }
  const bytes = new Uint8Array(values.length * 4);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < values.length; i++) view.setFloat32(i * 4, values[i] ?? 0, true);
  return { name, dims: [...dims], dataType: ElementType.float, rawData: bytes };
}

/**
 * Creates an INT64 initializer stored as little-endian raw bytes; `dims` of `[]` makes a scalar.
 * Throws when `values` does not match `dims` or a value is not a safe integer.
 */
export function int64Tensor(name: string, dims: readonly number[], values: readonly number[]): Tensor {
  if (values.length !== elementCount(dims)) {
    throw new Error(`tensor ${name}: ${values.length} values for dims [${dims.join(', ')}]`);
  }
  const bytes = new Uint8Array(values.length * 8);
  const view = new DataView(bytes.buffer);
  values.forEach((value, i) => {
    if (!Number.isSafeInteger(value)) throw new Error(`tensor ${name}: ${value} is not an integer`);
    view.setBigInt64(i * 8, BigInt(value), true);
  });
  return { name, dims: [...dims], dataType: ElementType.int64, rawData: bytes };
}

/** Declares a graph input or output; omit `dims` to leave the shape unknown (e.g. in a Loop body). */
export function valueInfo(name: string, elemType: ElementType, dims?: readonly Dim[]): ValueInfo {
  const shape =
    dims === undefined
      ? undefined
      : { dim: dims.map((dim) => (typeof dim === 'number' ? { dimValue: dim } : { dimParam: dim })) };
  return { name, type: { tensorType: { elemType, shape } } };
}

export function intAttr(name: string, value: number): Attribute {
  return { name, type: onnx.AttributeProto.AttributeType.INT, i: value };
}

export function floatAttr(name: string, value: number): Attribute {
  return { name, type: onnx.AttributeProto.AttributeType.FLOAT, f: value };
}

export function intsAttr(name: string, values: readonly number[]): Attribute {
  return { name, type: onnx.AttributeProto.AttributeType.INTS, ints: [...values] };
}

export function graphAttr(name: string, value: Graph): Attribute {
  return { name, type: onnx.AttributeProto.AttributeType.GRAPH, g: value };
}

/** Creates a node named after its first output, so names are unique and stable without a counter. */
export function node(
  opType: string,
  inputs: readonly string[],
  outputs: readonly string[],
  attributes: readonly Attribute[] = [],
): Node {
  return {
    name: `${opType}:${outputs[0] ?? ''}`,
    opType,
    input: [...inputs],
    output: [...outputs],
    attribute: [...attributes],
  };
}

export interface GraphParts {
  name: string;
  nodes: readonly Node[];
  inputs: readonly ValueInfo[];
  outputs: readonly ValueInfo[];
  initializers?: readonly Tensor[];
}

export function graph(parts: GraphParts): Graph {
  return {
    name: parts.name,
    node: [...parts.nodes],
    input: [...parts.inputs],
    output: [...parts.outputs],
    initializer: [...(parts.initializers ?? [])],
  };
}

/**
 * Serialises a graph as an ONNX model (IR 8, ai.onnx opset 17). No timestamps or host data are written, so the
 * same graph always encodes to the same bytes.
 */
export function encodeModel(modelGraph: Graph, docString: string): Uint8Array {
  return onnx.ModelProto.encode({
    irVersion: IR_VERSION,
    opsetImport: [{ domain: '', version: OPSET_VERSION }],
    producerName: 'splitserve-build-demo-models',
    producerVersion: '1',
    modelVersion: 1,
    docString,
    graph: modelGraph,
  }).finish();
}

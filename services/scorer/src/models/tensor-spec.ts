import type { Datatype, MetadataTensor } from '@splitserve/contracts';
import { isOrtType, OIP_DATATYPE_OF } from '../worker/ort-types.ts';
import type { OrtType, WireValueInfo } from '../worker/protocol.ts';

/** A model input or output as the server checks requests against it; `-1` is a dimension of any size. */
export type TensorSpec = { name: string; datatype: Datatype; ortType: OrtType; shape: number[] };

/**
 * Converts what a session reports into specs. Throws an error naming the tensor when its type is one the protocol
 * cannot carry (a sequence, a map, a 4-bit integer).
 */
export function toTensorSpecs(values: readonly WireValueInfo[], modelPath: string): TensorSpec[] {
  return values.map((value) => {
    if (!value.isTensor || !isOrtType(value.type)) {
      throw new Error(
        `${modelPath}: '${value.name}' has type ${value.type}, which the inference protocol cannot carry`,
      );
    }
    return {
      name: value.name,
      datatype: OIP_DATATYPE_OF[value.type],
      ortType: value.type,
      shape: value.shape.map((dim) => (typeof dim === 'number' && dim >= 0 ? dim : -1)),
    };
  });
}

/** The spec as model metadata shows it. */
export function toMetadataTensor(spec: TensorSpec): MetadataTensor {
  return { name: spec.name, datatype: spec.datatype, shape: spec.shape };
}

/** True when every tensor's first dimension is free, so requests can be stacked into one batch. */
export function hasBatchDimension(specs: readonly TensorSpec[]): boolean {
  return specs.every((spec) => spec.shape.length > 0 && spec.shape[0] === -1);
}

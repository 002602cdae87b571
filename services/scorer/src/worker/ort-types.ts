import type { Datatype } from '@splitserve/contracts';
import type { OrtType } from './protocol.ts';

/** Each onnxruntime tensor type with its Open Inference Protocol datatype. */
export const OIP_DATATYPE_OF = {
  bool: 'BOOL',
  uint8: 'UINT8',
  int8: 'INT8',
  uint16: 'UINT16',
  int16: 'INT16',
  uint32: 'UINT32',
  int32: 'INT32',
  uint64: 'UINT64',
  int64: 'INT64',
  float16: 'FP16',
  float32: 'FP32',
  float64: 'FP64',
  string: 'BYTES',
} as const satisfies Record<OrtType, Datatype>;

/** The onnxruntime type for each datatype, the inverse of {@link OIP_DATATYPE_OF}. */
export const ORT_TYPE_OF = Object.fromEntries(
  Object.entries(OIP_DATATYPE_OF).map(([ort, oip]) => [oip, ort]),
) as Record<Datatype, OrtType>;

/** True for the onnxruntime tensor types this server can carry. */
export function isOrtType(type: string): type is OrtType {
  return Object.hasOwn(OIP_DATATYPE_OF, type);
}

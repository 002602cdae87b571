import type { TensorArray } from '@splitserve/contracts';
import { inferenceFailed } from '../errors.ts';
import type { WireTensor } from '../worker/protocol.ts';
import type { InferenceJob } from './job.ts';

/**
 * Stacks the jobs' inputs along the first dimension into one batch. A lone job's tensors pass through untouched.
 * Every job must share the same input names and `shapeKey`.
 */
export function stackInputs(jobs: readonly InferenceJob[]): Record<string, WireTensor> {
  if (jobs.length === 1) return jobs[0]!.inputs;
  const stacked: Record<string, WireTensor> = {};
  let rows = 0;
  for (const job of jobs) rows += job.rows;
  for (const [name, first] of Object.entries(jobs[0]!.inputs)) {
    const dims = [rows, ...first.dims.slice(1)];
    if (Array.isArray(first.data)) {
      stacked[name] = { type: first.type, dims, data: jobs.flatMap((job) => job.inputs[name]!.data as string[]) };
      continue;
    }
    let length = 0;
    for (const job of jobs) length += job.inputs[name]!.data.length;
    const ArrayType = first.data.constructor as new (length: number) => TensorArray;
    const data = new ArrayType(length);
    let offset = 0;
    for (const job of jobs) {
      const part = job.inputs[name]!.data as TensorArray;
      (data as Float32Array).set(part as Float32Array, offset);
      offset += part.length;
    }
    stacked[name] = { type: first.type, dims, data };
  }
  return stacked;
}

/**
 * Splits a batch's outputs back into one set per job, by rows, keeping only the outputs each job asked for.
 * Slices are views: no copy. Throws an INFERENCE_FAILED error when an output's first dimension is not the batch.
 */
export function splitOutputs(
  outputs: Record<string, WireTensor>,
  jobs: readonly InferenceJob[],
): Record<string, WireTensor>[] {
  if (jobs.length === 1) return [pick(outputs, jobs[0]!.outputNames)];
  let rows = 0;
  for (const job of jobs) rows += job.rows;
  const results: Record<string, WireTensor>[] = jobs.map(() => ({}));
  for (const [name, tensor] of Object.entries(outputs)) {
    if (tensor.dims[0] !== rows) {
      throw inferenceFailed('INFERENCE_FAILED', `output '${name}' has ${tensor.dims[0]} rows for a batch of ${rows}`);
    }
    const perRow = rows === 0 ? 0 : tensor.data.length / rows;
    let start = 0;
    jobs.forEach((job, i) => {
      const end = start + job.rows * perRow;
      if (job.outputNames.includes(name)) {
        const data = Array.isArray(tensor.data) ? tensor.data.slice(start, end) : tensor.data.subarray(start, end);
        results[i]![name] = { type: tensor.type, dims: [job.rows, ...tensor.dims.slice(1)], data };
      }
      start = end;
    });
  }
  return results;
}

function pick(outputs: Record<string, WireTensor>, names: readonly string[]): Record<string, WireTensor> {
  const picked: Record<string, WireTensor> = {};
  for (const name of names) picked[name] = outputs[name]!;
  return picked;
}

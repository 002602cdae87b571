import { forwardMlp, initMlp, sigmoid } from './mlp.ts';
import type { MlpWeights } from './mlp.ts';
import type { SeededRandom } from '@splitserve/demo-domain';

export interface TrainOptions {
  hiddenSize: number;
  epochs: number;
  batchSize: number;
  learningRate: number;
  /** Seeds the initial weights and the per-epoch shuffles. */
  random: SeededRandom;
}

const ADAM_BETA1 = 0.9;
const ADAM_BETA2 = 0.999;
const ADAM_EPSILON = 1e-8;

interface Parameter {
  values: Float64Array;
  gradient: Float64Array;
  firstMoment: Float64Array;
  secondMoment: Float64Array;
}

function parameter(values: Float64Array): Parameter {
  const length = values.length;
  return {
    values,
    gradient: new Float64Array(length),
    firstMoment: new Float64Array(length),
    secondMoment: new Float64Array(length),
  };
}

function adamStep(p: Parameter, learningRate: number, step: number): void {
  const correction1 = 1 - ADAM_BETA1 ** step;
  const correction2 = 1 - ADAM_BETA2 ** step;
  for (let i = 0; i < p.values.length; i++) {
    const g = p.gradient[i] ?? 0;
    const m = ADAM_BETA1 * (p.firstMoment[i] ?? 0) + (1 - ADAM_BETA1) * g;
    const v = ADAM_BETA2 * (p.secondMoment[i] ?? 0) + (1 - ADAM_BETA2) * g * g;
    p.firstMoment[i] = m;
    p.secondMoment[i] = v;
    p.values[i] = (p.values[i] ?? 0) - (learningRate * (m / correction1)) / (Math.sqrt(v / correction2) + ADAM_EPSILON);
  }
  p.gradient.fill(0);
}

function shuffledIndices(random: SeededRandom, count: number): Uint32Array {
  const order = Uint32Array.from({ length: count }, (_, i) => i);
  for (let i = count - 1; i > 0; i--) {
    const j = random.int(i + 1);
    const swap = order[i] ?? 0;
    order[i] = order[j] ?? 0;
    order[j] = swap;
  }
  return order;
}

/**
 * Trains a ReLU → sigmoid MLP for multi-label binary cross-entropy with mini-batch Adam, single-threaded and in
 * float64, so a fixed seed gives bit-identical weights on every run. Throws if inputs and targets disagree in count.
 */
export function trainMlp(
  inputs: readonly Float32Array[],
  targets: readonly Uint8Array[],
  options: TrainOptions,
): MlpWeights {
  if (inputs.length !== targets.length || inputs.length === 0) {
    throw new Error(`trainMlp: ${inputs.length} inputs for ${targets.length} targets`);
  }
  const inputSize = inputs[0]?.length ?? 0;
  const outputSize = targets[0]?.length ?? 0;
  const { hiddenSize } = options;
  const weights = initMlp(options.random, inputSize, hiddenSize, outputSize);
  const w1 = parameter(weights.w1);
  const b1 = parameter(weights.b1);
  const w2 = parameter(weights.w2);
  const b2 = parameter(weights.b2);
  const hidden = new Float64Array(hiddenSize);
  const logits = new Float64Array(outputSize);
  const outputError = new Float64Array(outputSize);
  const hiddenError = new Float64Array(hiddenSize);
  let step = 0;

  for (let epoch = 0; epoch < options.epochs; epoch++) {
    const order = shuffledIndices(options.random, inputs.length);
    for (let start = 0; start < order.length; start += options.batchSize) {
      const end = Math.min(order.length, start + options.batchSize);
      const scale = 1 / (end - start);
      for (let n = start; n < end; n++) {
        const index = order[n] ?? 0;
        const x = inputs[index] ?? new Float32Array(inputSize);
        const y = targets[index] ?? new Uint8Array(outputSize);
        forwardMlp(weights, x, hidden, logits);
        // d(BCE)/d(logit) = sigmoid(logit) - target.
        for (let k = 0; k < outputSize; k++) {
          outputError[k] = (sigmoid(logits[k] ?? 0) - (y[k] ?? 0)) * scale;
          b2.gradient[k] = (b2.gradient[k] ?? 0) + (outputError[k] ?? 0);
        }
        for (let j = 0; j < hiddenSize; j++) {
          const h = hidden[j] ?? 0;
          let backpropagated = 0;
          if (h > 0) {
            const row = j * outputSize;
            for (let k = 0; k < outputSize; k++) {
              const e = outputError[k] ?? 0;
              w2.gradient[row + k] = (w2.gradient[row + k] ?? 0) + h * e;
              backpropagated += (weights.w2[row + k] ?? 0) * e;
            }
          }
          hiddenError[j] = backpropagated;
          b1.gradient[j] = (b1.gradient[j] ?? 0) + backpropagated;
        }
        for (let i = 0; i < inputSize; i++) {
          const xi = x[i] ?? 0;
          if (xi === 0) continue;
          const row = i * hiddenSize;
          for (let j = 0; j < hiddenSize; j++) {
            w1.gradient[row + j] = (w1.gradient[row + j] ?? 0) + xi * (hiddenError[j] ?? 0);
          }
        }
      }
      step++;
      for (const p of [w1, b1, w2, b2]) adamStep(p, options.learningRate, step);
    }
  }
  return weights;
}

import type { SeededRandom } from '@splitserve/demo-domain';

/**
 * A one-hidden-layer perceptron: sigmoid(relu(x·W1 + b1)·W2 + b2). Matrices are row-major `[in, out]`, the layout
 * ONNX Gemm takes without transposing.
 */
export interface MlpWeights {
  inputSize: number;
  hiddenSize: number;
  outputSize: number;
  w1: Float64Array;
  b1: Float64Array;
  w2: Float64Array;
  b2: Float64Array;
}

/** He-initialised weights (suited to ReLU) and zero biases. */
export function initMlp(random: SeededRandom, inputSize: number, hiddenSize: number, outputSize: number): MlpWeights {
  const gaussian = (length: number, fanIn: number): Float64Array =>
    Float64Array.from({ length }, () => random.normal() * Math.sqrt(2 / fanIn));
  return {
    inputSize,
    hiddenSize,
    outputSize,
    w1: gaussian(inputSize * hiddenSize, inputSize),
    b1: new Float64Array(hiddenSize),
    w2: gaussian(hiddenSize * outputSize, hiddenSize),
    b2: new Float64Array(outputSize),
  };
}

/** Fills `hidden` with the ReLU layer and `logits` with the output layer's pre-sigmoid values for one row. */
export function forwardMlp(
  weights: MlpWeights,
  input: ArrayLike<number>,
  hidden: Float64Array,
  logits: Float64Array,
): void {
  const { inputSize, hiddenSize, outputSize, w1, b1, w2, b2 } = weights;
  hidden.set(b1);
  for (let i = 0; i < inputSize; i++) {
    const x = input[i] ?? 0;
    if (x === 0) continue;
    const row = i * hiddenSize;
    for (let j = 0; j < hiddenSize; j++) hidden[j] = (hidden[j] ?? 0) + x * (w1[row + j] ?? 0);
  }
  for (let j = 0; j < hiddenSize; j++) hidden[j] = Math.max(0, hidden[j] ?? 0);
  logits.set(b2);
  for (let j = 0; j < hiddenSize; j++) {
    const h = hidden[j] ?? 0;
    if (h === 0) continue;
    const row = j * outputSize;
    for (let k = 0; k < outputSize; k++) logits[k] = (logits[k] ?? 0) + h * (w2[row + k] ?? 0);
  }
}

export function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

/** The model's output probabilities for one row. */
export function predictMlp(weights: MlpWeights, input: ArrayLike<number>): Float64Array {
  const hidden = new Float64Array(weights.hiddenSize);
  const logits = new Float64Array(weights.outputSize);
  forwardMlp(weights, input, hidden, logits);
  return logits.map(sigmoid);
}

import { dominantCategory } from './dominant-category.ts';
import { FEATURE_COUNT, INTEREST_LABELS } from './interest-feature-layout.ts';
import { computeInterestFeatures } from './interest-features.ts';
import { predictMlp } from './mlp.ts';
import type { MlpWeights } from './mlp.ts';
import { ElementType, encodeModel, floatTensor, graph, node, valueInfo } from './onnx-graph.ts';
import { createSeededRandom } from '@splitserve/demo-domain';
import { generateSyntheticUsers } from './synthetic-users.ts';
import type { SyntheticUser } from './synthetic-users.ts';
import { trainMlp } from './train-mlp.ts';

const TRAIN_SEED = 0x1e7e_0001;
const HELD_OUT_SEED = 0x1e7e_0002;
const TRAINER_SEED = 0x1e7e_0003;
const TRAIN_USERS = 20_000;
const HELD_OUT_USERS = 5_000;
const HIDDEN_SIZE = 32;

export interface InterestsTrainingReport {
  trainUsers: number;
  heldOutUsers: number;
  /** Mean binary cross-entropy per label on held-out users. */
  heldOutLogLoss: number;
  /** Held-out users with a dominant recent category (≥ 60% of ≥ 5 events in 30 days). */
  dominantUsers: number;
  /** Share of those whose top score is that category. */
  dominantTopAccuracy: number;
}

export interface InterestsModel {
  model: Uint8Array;
  report: InterestsTrainingReport;
}

/** The weights as the ONNX file stores them, so evaluation sees exactly what onnxruntime will compute with. */
function roundedToFloat32(weights: MlpWeights): MlpWeights {
  const round = (values: Float64Array): Float64Array => Float64Array.from(Float32Array.from(values));
  return { ...weights, w1: round(weights.w1), b1: round(weights.b1), w2: round(weights.w2), b2: round(weights.b2) };
}

function argMax(values: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if ((values[i] ?? 0) > (values[best] ?? 0)) best = i;
  return best;
}

function evaluate(weights: MlpWeights, users: readonly SyntheticUser[]): Omit<InterestsTrainingReport, 'trainUsers'> {
  let logLoss = 0;
  let dominantUsers = 0;
  let dominantHits = 0;
  for (const user of users) {
    const scores = predictMlp(weights, computeInterestFeatures(user.profile));
    scores.forEach((p, c) => {
      const clamped = Math.min(1 - 1e-7, Math.max(1e-7, p));
      logLoss -= user.nextPeriod[c] === 1 ? Math.log(clamped) : Math.log(1 - clamped);
    });
    const dominant = dominantCategory(user.profile.events);
    if (dominant === undefined) continue;
    dominantUsers++;
    if (argMax(scores) === dominant) dominantHits++;
  }
  return {
    heldOutUsers: users.length,
    heldOutLogLoss: logLoss / (users.length * INTEREST_LABELS.length),
    dominantUsers,
    dominantTopAccuracy: dominantHits / dominantUsers,
  };
}

function toOnnx(weights: MlpWeights): Uint8Array {
  const { inputSize, hiddenSize, outputSize } = weights;
  const modelGraph = graph({
    name: 'interests',
    nodes: [
      node('Gemm', ['features', 'W1', 'b1'], ['hidden_linear']),
      node('Relu', ['hidden_linear'], ['hidden']),
      node('Gemm', ['hidden', 'W2', 'b2'], ['logits']),
      node('Sigmoid', ['logits'], ['scores']),
    ],
    inputs: [valueInfo('features', ElementType.float, ['batch', inputSize])],
    outputs: [valueInfo('scores', ElementType.float, ['batch', outputSize])],
    initializers: [
      floatTensor('W1', [inputSize, hiddenSize], weights.w1),
      floatTensor('b1', [hiddenSize], weights.b1),
      floatTensor('W2', [hiddenSize, outputSize], weights.w2),
      floatTensor('b2', [outputSize], weights.b2),
    ],
  });
  return encodeModel(modelGraph, `User interests: P(engages with each of ${outputSize} categories next period).`);
}

/**
 * Trains the `interests` MLP (64 → 32 ReLU → 16 sigmoid) on synthetic users with fixed seeds and returns the ONNX
 * bytes (identical on every run) with held-out quality figures. Takes a couple of seconds of CPU.
 */
export function buildInterestsModel(): InterestsModel {
  const trainUsers = generateSyntheticUsers(createSeededRandom(TRAIN_SEED), TRAIN_USERS);
  const weights = trainMlp(
    trainUsers.map((user) => computeInterestFeatures(user.profile)),
    trainUsers.map((user) => user.nextPeriod),
    {
      hiddenSize: HIDDEN_SIZE,
      epochs: 8,
      batchSize: 64,
      learningRate: 0.005,
      random: createSeededRandom(TRAINER_SEED),
    },
  );
  if (weights.inputSize !== FEATURE_COUNT) throw new Error(`interests: ${weights.inputSize} features`);
  const rounded = roundedToFloat32(weights);
  const heldOut = generateSyntheticUsers(createSeededRandom(HELD_OUT_SEED), HELD_OUT_USERS);
  return { model: toOnnx(rounded), report: { trainUsers: TRAIN_USERS, ...evaluate(rounded, heldOut) } };
}

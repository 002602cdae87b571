import { ElementType, encodeModel, floatTensor, graph, intAttr, int64Tensor, node, valueInfo } from './onnx-graph.ts';
import { createSeededRandom } from '@splitserve/demo-domain';

export const TOPIC_LABELS = ['world', 'sports', 'business', 'science', 'tech', 'health', 'arts', 'travel'] as const;

export const VOCAB_SIZE = 1024;
/** The first TOPIC_LABELS.length embedding dimensions carry the topic; the rest are noise the classifier ignores. */
const EMBEDDING_DIM = 16;
const NOISE_DIMS = EMBEDDING_DIM - TOPIC_LABELS.length;
/** Logit gap between topics per unit of pooled share: a single-topic text gets ≈ 0.89 probability. */
const TOPIC_LOGIT_SCALE = 4;
const SEED = 0x7091_c5;

/** One-line statement of the token → topic rule, written to config.json. */
export const TOKEN_TOPIC_RULE =
  'token 0 is padding; token t in 1..1023 belongs to topic (t - 1) % 8 (index into labels.probabilities); ' +
  'topic = the topic with the most non-padding tokens (ties and all-padding rows: lowest index)';

/** Topic index of a non-padding token id, per {@link TOKEN_TOPIC_RULE}. Throws outside 1..1023. */
export function tokenTopic(tokenId: number): number {
  if (!Number.isInteger(tokenId) || tokenId < 1 || tokenId >= VOCAB_SIZE) {
    throw new Error(`token id ${tokenId} is outside 1..${VOCAB_SIZE - 1}`);
  }
  return (tokenId - 1) % TOPIC_LABELS.length;
}

function embeddings(): Float32Array {
  const random = createSeededRandom(SEED);
  const table = new Float32Array(VOCAB_SIZE * EMBEDDING_DIM);
  // Row 0 (padding) stays zero; the mask removes it anyway, this keeps it harmless if the mask were dropped.
  for (let token = 1; token < VOCAB_SIZE; token++) {
    const row = token * EMBEDDING_DIM;
    table[row + tokenTopic(token)] = 1;
    for (let d = 0; d < NOISE_DIMS; d++) table[row + TOPIC_LABELS.length + d] = random.normal() * 0.5;
  }
  return table;
}

function classifier(): Float32Array {
  const topicCount = TOPIC_LABELS.length;
  // Zero weights on the noise dimensions keep the rule exact: logits are 4 × each topic's share of the tokens.
  const weights = new Float32Array(EMBEDDING_DIM * topicCount);
  for (let t = 0; t < topicCount; t++) weights[t * topicCount + t] = TOPIC_LOGIT_SCALE;
  return weights;
}

/**
 * Builds `text-topics`: `token_ids` INT64 [batch, sequence] (0 = padding) → `probabilities` FP32 [batch, 8] (softmax)
 * and `topic` INT64 [batch] (argmax). Masked mean pooling of a Gather embedding, then one Gemm. Meaningful by
 * construction rather than training. onnxruntime rejects token ids outside 0..1023 at run time.
 */
export function buildTextTopicsModel(): Uint8Array {
  const topicCount = TOPIC_LABELS.length;
  const modelGraph = graph({
    name: 'text_topics',
    nodes: [
      node('Gather', ['embeddings', 'token_ids'], ['token_vectors']),
      node('Equal', ['token_ids', 'padding_id'], ['is_padding']),
      node('Not', ['is_padding'], ['is_token']),
      node('Cast', ['is_token'], ['mask'], [intAttr('to', ElementType.float)]),
      node('Unsqueeze', ['mask', 'last_axis'], ['mask_3d']),
      node('Mul', ['token_vectors', 'mask_3d'], ['masked_vectors']),
      node('ReduceSum', ['masked_vectors', 'sequence_axis'], ['vector_sum'], [intAttr('keepdims', 0)]),
      node('ReduceSum', ['mask', 'sequence_axis'], ['token_count'], [intAttr('keepdims', 1)]),
      // An all-padding row has count 0: dividing by max(count, 1) yields a zero vector instead of NaN.
      node('Max', ['token_count', 'one'], ['safe_count']),
      node('Div', ['vector_sum', 'safe_count'], ['pooled']),
      node('Gemm', ['pooled', 'classifier_weights', 'classifier_bias'], ['logits']),
      node('Softmax', ['logits'], ['probabilities'], [intAttr('axis', -1)]),
      node('ArgMax', ['logits'], ['topic'], [intAttr('axis', 1), intAttr('keepdims', 0)]),
    ],
    inputs: [valueInfo('token_ids', ElementType.int64, ['batch', 'sequence'])],
    outputs: [
      valueInfo('probabilities', ElementType.float, ['batch', topicCount]),
      valueInfo('topic', ElementType.int64, ['batch']),
    ],
    initializers: [
      floatTensor('embeddings', [VOCAB_SIZE, EMBEDDING_DIM], embeddings()),
      floatTensor('classifier_weights', [EMBEDDING_DIM, topicCount], classifier()),
      floatTensor('classifier_bias', [topicCount], new Float32Array(topicCount)),
      int64Tensor('padding_id', [], [0]),
      int64Tensor('last_axis', [1], [2]),
      int64Tensor('sequence_axis', [1], [1]),
      floatTensor('one', [], [1]),
    ],
  });
  return encodeModel(modelGraph, `Text topics: ${TOKEN_TOPIC_RULE}.`);
}

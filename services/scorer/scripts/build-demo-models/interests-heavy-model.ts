import { ElementType, encodeModel, floatTensor, graph, graphAttr, int64Tensor, node, valueInfo } from './onnx-graph.ts';
import type { Node } from './onnx-graph.ts';
import { FEATURE_COUNT, INTEREST_LABELS } from './interest-feature-layout.ts';
import type { ModelArtifact } from './model-repository.ts';
import { createSeededRandom } from '@splitserve/demo-domain';
import type { SeededRandom } from '@splitserve/demo-domain';

export interface HeavyModelOptions {
  /** Width of the square hidden layer; its weights take hidden² × 4 bytes, stored once. */
  hidden: number;
  /** How many times the hidden layer is applied; CPU time per row grows linearly with it. */
  repeats: number;
  /**
   * `loop`: one ONNX Loop node whose body is MatMul + Tanh. `unrolled`: `repeats` MatMul nodes sharing one
   * initializer.
   */
  structure?: 'loop' | 'unrolled';
  seed?: number;
}

/**
 * Tuned on the 2-core dev machine (AMD EPYC, AVX2) with one intra-op thread, medians at batch 1: `reference30Ms`
 * ≈ 30 ms per run (the committed `interests-heavy`), `light3Ms` ≈ 3 ms for quick benchmarks. Hidden 256 keeps the
 * 256 KiB weight matrix in L2, so batching gains what a real dense model gains (≈ 5× rows/s at batch 16); a Loop
 * costs the same CPU as unrolled nodes but keeps the file at ≈ 350 KB and the session's memory flat.
 */
export const HEAVY_PROFILES = {
  reference30Ms: { hidden: 256, repeats: 3300, structure: 'loop' },
  light3Ms: { hidden: 256, repeats: 330, structure: 'loop' },
} as const satisfies Record<string, HeavyModelOptions>;

function gaussianMatrix(random: SeededRandom, rows: number, cols: number, scale: number): Float32Array {
  const values = new Float32Array(rows * cols);
  for (let i = 0; i < values.length; i++) values[i] = random.normal() * scale;
  return values;
}

function hiddenLayerNodes(options: Required<HeavyModelOptions>): { nodes: Node[]; output: string } {
  if (options.structure === 'unrolled') {
    const nodes: Node[] = [];
    let current = 'h0';
    for (let i = 1; i <= options.repeats; i++) {
      nodes.push(node('MatMul', [current, 'W_hidden'], [`h${i}_linear`]), node('Tanh', [`h${i}_linear`], [`h${i}`]));
      current = `h${i}`;
    }
    return { nodes, output: current };
  }
  // The body reads W_hidden from the outer scope, so the weights exist once whatever `repeats` is.
  const body = graph({
    name: 'hidden_step',
    nodes: [
      node('Identity', ['cond_in'], ['cond_out']),
      node('MatMul', ['h_in', 'W_hidden'], ['h_linear']),
      node('Tanh', ['h_linear'], ['h_out']),
    ],
    inputs: [
      valueInfo('iteration', ElementType.int64, []),
      valueInfo('cond_in', ElementType.bool, []),
      valueInfo('h_in', ElementType.float),
    ],
    outputs: [valueInfo('cond_out', ElementType.bool, []), valueInfo('h_out', ElementType.float)],
  });
  return { nodes: [node('Loop', ['repeats', '', 'h0'], ['h_last'], [graphAttr('body', body)])], output: 'h_last' };
}

/**
 * Builds an `interests`-compatible model (`features` FP32 [batch, 64] → `scores` FP32 [batch, 16], sigmoid) whose
 * only purpose is to burn a predictable amount of CPU like a dense network: per row it costs about
 * `repeats × hidden²` multiply-adds, done as GEMV at batch 1 and as a cache-friendly GEMM when rows are batched.
 * Its scores carry no meaning. Throws on non-positive sizes.
 */
export function buildHeavyModel(options: HeavyModelOptions): Uint8Array {
  const resolved: Required<HeavyModelOptions> = { structure: 'loop', seed: 0x5eed_4ea7, ...options };
  const { hidden, repeats } = resolved;
  if (!(Number.isInteger(hidden) && hidden > 0 && Number.isInteger(repeats) && repeats > 0)) {
    throw new Error(`heavy model: hidden and repeats must be positive integers, got ${hidden} and ${repeats}`);
  }
  const random = createSeededRandom(resolved.seed);
  const labelCount = INTEREST_LABELS.length;
  const hiddenLayer = hiddenLayerNodes(resolved);
  const modelGraph = graph({
    name: 'interests_heavy',
    nodes: [
      node('Gemm', ['features', 'W_in', 'b_in'], ['h0_linear']),
      node('Tanh', ['h0_linear'], ['h0']),
      ...hiddenLayer.nodes,
      node('Gemm', [hiddenLayer.output, 'W_out', 'b_out'], ['logits']),
      node('Sigmoid', ['logits'], ['scores']),
    ],
    inputs: [valueInfo('features', ElementType.float, ['batch', FEATURE_COUNT])],
    outputs: [valueInfo('scores', ElementType.float, ['batch', labelCount])],
    initializers: [
      floatTensor(
        'W_in',
        [FEATURE_COUNT, hidden],
        gaussianMatrix(random, FEATURE_COUNT, hidden, 1 / Math.sqrt(FEATURE_COUNT)),
      ),
      floatTensor('b_in', [hidden], new Float32Array(hidden)),
      // A gain a little above 1 keeps tanh activations O(1) through thousands of steps: they neither saturate nor
      // decay towards denormals, which would distort the timing.
      floatTensor('W_hidden', [hidden, hidden], gaussianMatrix(random, hidden, hidden, 1.2 / Math.sqrt(hidden))),
      floatTensor('W_out', [hidden, labelCount], gaussianMatrix(random, hidden, labelCount, 1 / Math.sqrt(hidden))),
      floatTensor('b_out', [labelCount], new Float32Array(labelCount)),
      ...(resolved.structure === 'loop' ? [int64Tensor('repeats', [], [repeats])] : []),
    ],
  });
  return encodeModel(
    modelGraph,
    `Synthetic CPU load: ${repeats} x (MatMul ${hidden}x${hidden} + Tanh) per row (${resolved.structure}); ` +
      'scores are meaningless.',
  );
}

/**
 * The heavy model as a repository entry (same labels as `interests`), e.g. for a benchmark to write a light variant
 * into a temporary repository with `writeModelArtifact`.
 */
export function heavyModelArtifact(options: HeavyModelOptions, name = 'interests-heavy'): ModelArtifact {
  return {
    name,
    version: 1,
    model: buildHeavyModel(options),
    // Past 16 rows a batch adds little throughput (the GEMM is already efficient) but keeps callers waiting longer.
    config: { labels: { scores: INTEREST_LABELS }, maxBatchSize: 16 },
  };
}

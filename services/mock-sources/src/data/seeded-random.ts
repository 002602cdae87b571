/** A deterministic stream of random numbers: the same seed always yields the same sequence, on any machine. */
export type SeededRandom = {
  /** Uniform in [0, 1). */
  uniform(): number;
  /** Integer uniform in [0, n). */
  int(n: number): number;
  /** True with probability `p`. */
  bernoulli(p: number): boolean;
  /** Standard normal (mean 0, variance 1). */
  normal(): number;
  /** Gamma(shape, 1), shape > 0. */
  gamma(shape: number): number;
  /** An index drawn in proportion to non-negative `weights`. */
  categorical(weights: readonly number[]): number;
};

/**
 * Creates a generator: a Weyl sequence passed through the murmur3 finaliser. Only 32-bit integer arithmetic and
 * V8's own Math functions are used, so a seed gives the same numbers in every process and on every platform.
 */
export function createSeededRandom(seed: number): SeededRandom {
  let state = seed >>> 0;

  function uniform(): number {
    state = (state + 0x9e3779b9) >>> 0;
    return mix32(state) / 0x1_0000_0000;
  }

  function int(n: number): number {
    return Math.floor(uniform() * n);
  }

  function bernoulli(p: number): boolean {
    return uniform() < p;
  }

  function normal(): number {
    // Box-Muller; 1 - u keeps the logarithm's argument in (0, 1].
    return Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
  }

  function gamma(shape: number): number {
    // Marsaglia and Tsang, with shape < 1 lifted to shape + 1 and scaled back by U^(1/shape).
    if (shape < 1) return gamma(shape + 1) * Math.pow(1 - uniform(), 1 / shape);
    const d = shape - 1 / 3;
    const c = 1 / Math.sqrt(9 * d);
    for (;;) {
      const x = normal();
      const v = (1 + c * x) ** 3;
      if (v <= 0) continue;
      if (Math.log(1 - uniform()) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v;
    }
  }

  function categorical(weights: readonly number[]): number {
    const total = weights.reduce((sum, weight) => sum + weight, 0);
    let remaining = uniform() * total;
    for (const [index, weight] of weights.entries()) {
      remaining -= weight;
      if (remaining < 0) return index;
    }
    return weights.length - 1;
  }

  return { uniform, int, bernoulli, normal, gamma, categorical };
}

/** A 32-bit seed from text (FNV-1a over UTF-16 code units, then mixed), stable across processes. */
export function seedFromText(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return mix32(hash >>> 0);
}

function mix32(value: number): number {
  let z = value;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

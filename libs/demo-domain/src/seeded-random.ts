/** A deterministic source of random numbers: the same seed always yields the same sequence. */
export interface SeededRandom {
  /** Uniform in [0, 1). */
  uniform(): number;
  /** Standard normal (mean 0, variance 1). */
  normal(): number;
  /** Gamma(shape, 1); shape > 0. */
  gamma(shape: number): number;
  /** Integer uniform in [0, n). */
  int(n: number): number;
  /** True with probability `p`. */
  bernoulli(p: number): boolean;
  /** Index drawn from unnormalised non-negative `weights`. */
  categorical(weights: ArrayLike<number>): number;
}

/**
 * Creates a mulberry32 generator with Box-Muller normals and Marsaglia-Tsang gammas. Only 32-bit integer ops and
 * V8's own (platform-independent) Math functions are used, so the output is reproducible across machines.
 */
export function createSeededRandom(seed: number): SeededRandom {
  let state = seed >>> 0;
  let spareNormal: number | undefined;

  function uniform(): number {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  function normal(): number {
    if (spareNormal !== undefined) {
      const value = spareNormal;
      spareNormal = undefined;
      return value;
    }
    // 1 - u keeps the log argument in (0, 1].
    const radius = Math.sqrt(-2 * Math.log(1 - uniform()));
    const angle = 2 * Math.PI * uniform();
    spareNormal = radius * Math.sin(angle);
    return radius * Math.cos(angle);
  }

  function gamma(shape: number): number {
    if (shape < 1) {
      // Boosting: Gamma(a) = Gamma(a + 1) * U^(1/a).
      return gamma(shape + 1) * Math.pow(1 - uniform(), 1 / shape);
    }
    const d = shape - 1 / 3;
    const c = 1 / Math.sqrt(9 * d);
    for (;;) {
      const x = normal();
      const v = (1 + c * x) ** 3;
      if (v <= 0) continue;
      const u = 1 - uniform();
      if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v;
    }
  }

  function int(n: number): number {
    return Math.floor(uniform() * n);
  }

  function bernoulli(p: number): boolean {
    return uniform() < p;
  }

  function categorical(weights: ArrayLike<number>): number {
    let total = 0;
    for (let i = 0; i < weights.length; i++) total += weights[i] ?? 0;
    let remaining = uniform() * total;
    for (let i = 0; i < weights.length; i++) {
      remaining -= weights[i] ?? 0;
      if (remaining < 0) return i;
    }
    return weights.length - 1;
  }

  return { uniform, normal, gamma, int, bernoulli, categorical };
}

/** A 32-bit seed from text (FNV-1a over UTF-16 code units, then mixed), stable across processes. */
export function seedFromText(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  let z = hash >>> 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/**
 * Deterministic randomness. Every random choice in the package is drawn from a generator seeded by a
 * hash of a path of integers (dataset seed, epoch, example index, purpose), so any example of any
 * epoch can be reproduced on its own, in any order, in Node or the browser.
 */

/** Mixes 32-bit integers into one 32-bit hash (murmur3 finaliser per step). */
export function hashInts(...values: number[]): number {
  let h = 0x9e3779b9;
  for (const value of values) {
    // Fold values beyond 32 bits (large seeds) in two halves.
    const low = value >>> 0;
    const high = Math.floor(value / 0x100000000) >>> 0;
    for (const part of high === 0 ? [low] : [low, high]) {
      h = Math.imul(h ^ part, 0x85ebca6b);
      h ^= h >>> 13;
      h = Math.imul(h, 0xc2b2ae35);
      h ^= h >>> 16;
    }
  }
  return h >>> 0;
}

/** A small, fast, seedable generator (mulberry32) with the helpers the pipeline needs. */
export class Rng {
  private state: number;
  private spareNormal: number | null = null;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** Generator for a path of integers, e.g. `Rng.at(seed, epoch, index)`. */
  static at(...path: number[]): Rng {
    return new Rng(hashInts(...path));
  }

  /** Uniform 32-bit unsigned integer. */
  nextUint32(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.nextUint32() / 4294967296;
  }

  uniform(low: number, high: number): number {
    return low + (high - low) * this.next();
  }

  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  bool(probability = 0.5): boolean {
    return this.next() < probability;
  }

  /** Standard normal (Box-Muller; the second value of each pair is kept for the next call). */
  normal(): number {
    if (this.spareNormal !== null) {
      const spare = this.spareNormal;
      this.spareNormal = null;
      return spare;
    }
    const radius = Math.sqrt(-2 * Math.log(1 - this.next()));
    const angle = 2 * Math.PI * this.next();
    this.spareNormal = radius * Math.sin(angle);
    return radius * Math.cos(angle);
  }

  /** Gamma(shape, 1) by Marsaglia-Tsang; shape < 1 uses the boost x * U^(1/shape). */
  gamma(shape: number): number {
    if (shape < 1) return this.gamma(shape + 1) * Math.pow(this.next() || Number.MIN_VALUE, 1 / shape);
    const d = shape - 1 / 3;
    const c = 1 / Math.sqrt(9 * d);
    for (;;) {
      let x: number;
      let v: number;
      do {
        x = this.normal();
        v = 1 + c * x;
      } while (v <= 0);
      v = v * v * v;
      const u = this.next();
      if (u < 1 - 0.0331 * x ** 4 || Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
    }
  }

  /** Beta(a, b), used for mixup / cutmix mixing weights. */
  beta(a: number, b: number): number {
    const x = this.gamma(a);
    const y = this.gamma(b);
    return x + y === 0 ? 0.5 : x / (x + y);
  }
}

/** Purposes, so that streams drawn for the same example never coincide. */
export const RngPurpose = { shuffle: 1, augment: 2, mix: 3, split: 4, synth: 5 } as const;

/** Fisher-Yates permutation of 0..n-1 from `rng`. */
export function permutation(n: number, rng: Rng): Int32Array {
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const t = order[i];
    order[i] = order[j];
    order[j] = t;
  }
  return order;
}

/** The order in which an epoch visits a dataset of `size` examples. */
export function epochOrder(size: number, seed: number, epoch: number, shuffle: boolean): Int32Array {
  if (!shuffle) return permutationIdentity(size);
  return permutation(size, Rng.at(seed, RngPurpose.shuffle, epoch));
}

function permutationIdentity(n: number): Int32Array {
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  return order;
}

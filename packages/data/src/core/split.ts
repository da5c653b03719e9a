import { Rng, RngPurpose, permutation } from './rng';

export interface SplitOptions {
  /** Fraction of each class held out for validation when the source has no explicit split. Default 0.2. */
  valFraction?: number;
  /** Fraction of each class held out for testing. Default 0 (no test split). */
  testFraction?: number;
  /** Seed of the split (defaults to the dataset seed). */
  splitSeed?: number;
}

export interface SplitIndices {
  train: Int32Array;
  val: Int32Array;
  test?: Int32Array;
}

/**
 * Stratified, seeded split: each class is shuffled on its own and cut by the fractions, so every
 * split keeps the class balance, and the same seed always gives the same split. Indices within a
 * split are sorted.
 */
export function stratifiedSplit(labels: ArrayLike<number>, options: SplitOptions & { seed: number }): SplitIndices {
  const valFraction = options.valFraction ?? 0.2;
  const testFraction = options.testFraction ?? 0;
  if (!(valFraction >= 0 && testFraction >= 0 && valFraction + testFraction < 1)) {
    throw new Error(`Split fractions must be >= 0 and sum to less than 1 (valFraction ${valFraction}, testFraction ${testFraction})`);
  }
  const seed = options.splitSeed ?? options.seed;
  const byClass = new Map<number, number[]>();
  for (let i = 0; i < labels.length; i++) {
    const members = byClass.get(labels[i]) ?? [];
    members.push(i);
    byClass.set(labels[i], members);
  }
  const train: number[] = [];
  const val: number[] = [];
  const test: number[] = [];
  for (const [label, members] of [...byClass.entries()].sort((a, b) => a[0] - b[0])) {
    const order = permutation(members.length, Rng.at(seed, RngPurpose.split, label));
    const nTest = cutSize(members.length, testFraction);
    const nVal = Math.min(cutSize(members.length, valFraction), members.length - nTest - 1);
    order.forEach((position, k) => {
      const index = members[position];
      if (k < nTest) test.push(index);
      else if (k < nTest + nVal) val.push(index);
      else train.push(index);
    });
  }
  const sorted = (values: number[]) => Int32Array.from(values).sort();
  return testFraction > 0 ? { train: sorted(train), val: sorted(val), test: sorted(test) } : { train: sorted(train), val: sorted(val) };
}

/** Rounded share of a class, at least one example when the fraction is positive and the class can spare it. */
function cutSize(count: number, fraction: number): number {
  if (fraction <= 0 || count < 2) return 0;
  return Math.max(1, Math.round(count * fraction));
}

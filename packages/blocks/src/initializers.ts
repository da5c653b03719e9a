import * as tf from '@tensorflow/tfjs';

/** The seed option every block, stack and the stem take. */
export interface SeedOptions {
  /**
   * Seed of the weight initialisation: each random initialiser gets its own seed derived from
   * this one and its layer and weight names (`initializerSeed`), so a layer's initial weights
   * depend only on (seed, name, shape), never on what was built before it. Undefined: unseeded
   * (tfjs draws from `Math.random`), as before.
   */
  seed?: number;
}

/** What tfjs layers take as `kernelInitializer`: an initialiser object or its name. */
export type KernelInitializer = ReturnType<typeof tf.initializers.glorotUniform> | 'glorotUniform';

/** 32-bit FNV-1a of a string's UTF-16 code units. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/**
 * The seed of one initialiser: a stable hash of (model seed, layer name, weight name), in
 * 1..2^32-1. Never 0, because tfjs's normal-distribution initialisers treat a 0 seed as unseeded.
 */
export function initializerSeed(seed: number, layerName: string, weightName: string): number {
  return fnv1a(`${seed}/${layerName}/${weightName}`) || 1;
}

/**
 * Keras's `glorot_uniform` for the kernel of layer `layerName`: seeded from `seed` when it is
 * given (see {@link initializerSeed}), else tfjs's unseeded `'glorotUniform'`.
 */
export function glorotUniformKernel(seed: number | undefined, layerName: string): KernelInitializer {
  if (seed === undefined) return 'glorotUniform';
  return tf.initializers.glorotUniform({ seed: initializerSeed(seed, layerName, 'kernel') });
}

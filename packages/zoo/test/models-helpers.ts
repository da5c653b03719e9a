import * as tf from '@tensorflow/tfjs';
import { createModel } from '../src/index';
import type { ResNetOptions } from '../src/index';

/** Builds a registered model, hands it to `check`, and always disposes it. */
export async function withModel<T>(
  name: string,
  options: ResNetOptions,
  check: (model: tf.LayersModel) => T | Promise<T>,
): Promise<T> {
  const model = createModel(name, options);
  try {
    return await check(model);
  } finally {
    model.dispose();
  }
}

/** Number of scalars in a list of weights. */
export function sizeOf(weights: readonly tf.LayerVariable[]): number {
  return weights.reduce((sum, w) => sum + w.shape.reduce<number>((n, d) => n * (d ?? 1), 1), 0);
}

/** Layers ending a residual branch: the second input of every Add (blocks call `add(shortcut, branch)`). */
function residualBranchEnds(model: tf.LayersModel): Set<string> {
  const ends = model.layers
    .filter((layer) => layer.getClassName() === 'Add')
    .map((layer) => layer.inboundNodes[0].inboundLayers[1].name);
  return new Set(ends);
}

/**
 * Overwrites every weight with seeded random values, so numeric tests do not depend on the
 * unseeded initialisers. He-scaled kernels and BN statistics in [0.5, 1.5] everywhere, except that
 * the last layer of each residual branch is damped (x0.2), so activations stay O(1) through deep
 * stacks and an absolute tolerance stays meaningful. Allocates nothing that outlives it.
 */
export function randomizeWeights(model: tf.LayersModel, seed: number): void {
  const damped = residualBranchEnds(model);
  const values = tf.tidy(() =>
    model.weights.map((w, i) => {
      const shape = w.shape as number[];
      const [layer, name] = w.originalName.split('/');
      const scale = damped.has(layer) ? 0.2 : 1;
      if (/gamma/.test(name)) return tf.randomUniform(shape, 0.5 * scale, 1.5 * scale, 'float32', seed + i);
      if (/moving_variance/.test(name)) return tf.randomUniform(shape, 0.5, 1.5, 'float32', seed + i);
      if (/kernel/.test(name)) {
        const fanIn = shape.slice(0, -1).reduce((a, b) => a * b, 1);
        return tf.randomNormal(shape, 0, scale * Math.sqrt(2 / fanIn), 'float32', seed + i);
      }
      return tf.randomUniform(shape, -0.1, 0.1, 'float32', seed + i);
    }),
  );
  model.setWeights(values);
  tf.dispose(values);
}

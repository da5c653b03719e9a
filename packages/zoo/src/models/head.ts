import * as tf from '@tensorflow/tfjs';
import { glorotUniformKernel } from '@resnet-ts/blocks';
import type { ResolvedResNetOptions } from './options';

function applyLayer(layer: tf.layers.Layer, x: tf.SymbolicTensor): tf.SymbolicTensor {
  return layer.apply(x) as tf.SymbolicTensor;
}

/** The Keras top: `avg_pool` + `predictions`, or the optional `avg_pool`/`max_pool` of a headless model. */
export function classifierHead(features: tf.SymbolicTensor, options: ResolvedResNetOptions): tf.SymbolicTensor {
  if (options.includeTop) {
    const pooled = applyLayer(tf.layers.globalAveragePooling2d({ name: 'avg_pool' }), features);
    return applyLayer(
      tf.layers.dense({
        units: options.classes,
        activation: options.classifierActivation ?? 'linear',
        kernelInitializer: glorotUniformKernel(options.seed, 'predictions'),
        biasInitializer: 'zeros',
        name: 'predictions',
      }),
      pooled,
    );
  }
  if (options.pooling === 'avg') return applyLayer(tf.layers.globalAveragePooling2d({ name: 'avg_pool' }), features);
  if (options.pooling === 'max') return applyLayer(tf.layers.globalMaxPooling2d({ name: 'max_pool' }), features);
  return features;
}

import * as tf from '@tensorflow/tfjs';
import { BN_EPSILON, CHANNEL_AXIS } from './constants';
import { glorotUniformKernel, type SeedOptions } from './initializers';

// Thin wrappers that pin the Keras defaults tfjs does not share (tfjs convs/dense default to
// glorotNormal, BN to epsilon 1e-3), so every block builds layers the way Keras does.

/** Applies a layer to one symbolic tensor and returns the symbolic result. */
export function applyLayer(layer: tf.layers.Layer, x: tf.SymbolicTensor | tf.SymbolicTensor[]): tf.SymbolicTensor {
  return layer.apply(x) as tf.SymbolicTensor;
}

export interface ConvSpec extends SeedOptions {
  filters: number;
  kernelSize: number;
  strides?: number;
  padding?: 'valid' | 'same';
  useBias?: boolean;
  name: string;
}

export function conv(x: tf.SymbolicTensor, spec: ConvSpec): tf.SymbolicTensor {
  return applyLayer(
    tf.layers.conv2d({
      filters: spec.filters,
      kernelSize: spec.kernelSize,
      strides: spec.strides ?? 1,
      padding: spec.padding ?? 'valid',
      useBias: spec.useBias ?? true,
      kernelInitializer: glorotUniformKernel(spec.seed, spec.name),
      biasInitializer: 'zeros',
      name: spec.name,
    }),
    x,
  );
}

export function batchNorm(x: tf.SymbolicTensor, name: string, epsilon = BN_EPSILON): tf.SymbolicTensor {
  return applyLayer(tf.layers.batchNormalization({ axis: CHANNEL_AXIS, epsilon, name }), x);
}

export function relu(x: tf.SymbolicTensor, name: string): tf.SymbolicTensor {
  return applyLayer(tf.layers.activation({ activation: 'relu', name }), x);
}

/** Symmetric zero padding of `amount` pixels on both spatial axes. */
export function zeroPad(x: tf.SymbolicTensor, amount: number, name: string): tf.SymbolicTensor {
  return applyLayer(
    tf.layers.zeroPadding2d({
      padding: [
        [amount, amount],
        [amount, amount],
      ],
      name,
    }),
    x,
  );
}

export function add(a: tf.SymbolicTensor, b: tf.SymbolicTensor, name: string): tf.SymbolicTensor {
  return applyLayer(tf.layers.add({ name }), [a, b]);
}

export function maxPool(x: tf.SymbolicTensor, poolSize: number, strides: number, name: string): tf.SymbolicTensor {
  return applyLayer(tf.layers.maxPooling2d({ poolSize, strides, padding: 'valid', name }), x);
}

/** Channel count of a channels-last symbolic tensor. */
export function channelsOf(x: tf.SymbolicTensor): number {
  const channels = x.shape[x.shape.length - 1];
  if (channels == null) {
    throw new Error(`Tensor ${x.name}: the channel dimension must be known (shape ${JSON.stringify(x.shape)})`);
  }
  return channels;
}

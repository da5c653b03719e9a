import * as tf from '@tensorflow/tfjs';
import { postActivation, stem } from '@resnet-ts/blocks';
import { classifierHead } from './head';
import type { ResNetOptions } from './options';
import type { StackFn } from './stages';
import { resolveResNetOptions } from './validate-options';
import { zeroInitResidualBranches } from './zero-init-residual';

/** What distinguishes one ResNet from another (Keras's `ResNet(stack_fn, preact, use_bias, ...)`). */
export interface ResNetArchitecture {
  /** Adds the residual stages after the stem. */
  stackFn: StackFn;
  /** Pre-activation network (v2): no BN/ReLU in the stem, `post_bn`/`post_relu` after the stages. */
  preact: boolean;
  /** Bias on the stem convolution `conv1_conv`. */
  useBias: boolean;
  /** Default model name (`resnet50`), used when `options.name` is not given. */
  modelName: string;
  /** Epsilon of the stem's BatchNormalization (give the same to `stackFnFor`). Default Keras's 1.001e-5. */
  bnEpsilon?: number;
}

/**
 * The one generic ResNet builder: input -> stem -> `stackFn` -> [`post_bn`, `post_relu`] -> head.
 * Returns a new `tf.LayersModel` with freshly initialised weights (seeded by `options.seed`); the caller owns (and disposes) it.
 */
export function buildResNet(architecture: ResNetArchitecture, options: ResNetOptions = {}): tf.LayersModel {
  const resolved = resolveResNetOptions(options, architecture.modelName);
  const input = tf.input({ shape: resolved.inputShape, name: 'input_1' });
  const { seed } = resolved;
  let x = stem(input, { preact: architecture.preact, useBias: architecture.useBias, bnEpsilon: architecture.bnEpsilon, seed });
  x = architecture.stackFn(x, { seed });
  if (architecture.preact) x = postActivation(x);
  const output = classifierHead(x, resolved);
  const model = tf.model({ inputs: input, outputs: output, name: resolved.name });
  if (resolved.zeroInitResidual) zeroInitResidualBranches(model);
  return model;
}

import * as tf from '@tensorflow/tfjs';

/** `conv4_block2_3_bn` -> block `conv4_block2`, position 3, kind `bn`. */
const BRANCH_LAYER = /^(conv\d+_block\d+)_(\d+)_(bn|conv)$/;

/**
 * Zeroes the last layer of every residual branch (see `ResNetOptions.zeroInitResidual`): the gamma
 * of the branch's last BatchNorm, or for pre-activation blocks, which end in a convolution, that
 * convolution's kernel. Returns the names of the layers changed.
 */
export function zeroInitResidualBranches(model: tf.LayersModel): string[] {
  const last = new Map<string, { position: number; layer: tf.layers.Layer }>();
  for (const layer of model.layers) {
    const match = BRANCH_LAYER.exec(layer.name);
    // Position 0 is the projection shortcut, not the branch.
    if (!match || match[2] === '0') continue;
    const position = Number(match[2]) * 2 + (match[3] === 'bn' ? 1 : 0);
    const known = last.get(match[1]);
    if (!known || position > known.position) last.set(match[1], { position, layer });
  }
  const changed: string[] = [];
  for (const { layer } of last.values()) {
    const [first, ...rest] = layer.getWeights();
    const zeroed = tf.zerosLike(first);
    layer.setWeights([zeroed, ...rest]);
    zeroed.dispose();
    changed.push(layer.name);
  }
  return changed;
}

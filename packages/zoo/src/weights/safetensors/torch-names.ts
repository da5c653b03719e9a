/**
 * The name mapping between PyTorch ResNet state dicts (torchvision and timm: `conv1`, `bn1`,
 * `layer1.0.conv1`, `layer1.0.downsample.0/1`, `fc`) and our Keras layer names (`conv1_conv`,
 * `conv1_bn`, `conv2_block1_1_conv`, `conv2_block1_0_conv/_bn`, `predictions`).
 */

/** What a torch module is, which decides how its tensors are laid out. */
export type TorchModuleKind = 'conv' | 'bn' | 'dense';

/** torch parameter name -> Keras weight name, per module kind. */
export const TORCH_TO_KERAS_WEIGHT: Record<TorchModuleKind, Record<string, string>> = {
  conv: { weight: 'kernel', bias: 'bias' },
  bn: { weight: 'gamma', bias: 'beta', running_mean: 'moving_mean', running_var: 'moving_variance' },
  dense: { weight: 'kernel', bias: 'bias' },
};

/** BatchNorm buffers PyTorch saves that have no Keras counterpart. */
export const IGNORED_TORCH_BUFFERS = new Set(['num_batches_tracked']);

const STEM: Record<string, { layer: string; kind: TorchModuleKind }> = {
  conv1: { layer: 'conv1_conv', kind: 'conv' },
  bn1: { layer: 'conv1_bn', kind: 'bn' },
  fc: { layer: 'predictions', kind: 'dense' },
};

const TORCH_BLOCK = /^layer(\d+)\.(\d+)\.(?:(conv|bn)(\d)|downsample\.([01]))$/;
const KERAS_BLOCK = /^conv(\d+)_block(\d+)_(\d)_(conv|bn)$/;

/** `layer1.0.conv1` -> `conv2_block1_1_conv`; undefined for modules without a counterpart. */
export function kerasLayerForTorchModule(module: string): { layer: string; kind: TorchModuleKind } | undefined {
  if (Object.hasOwn(STEM, module)) return STEM[module];
  const match = TORCH_BLOCK.exec(module);
  if (!match) return undefined;
  const [, stage, block, type, position, downsample] = match;
  const prefix = `conv${Number(stage) + 1}_block${Number(block) + 1}`;
  if (downsample !== undefined) return downsample === '0' ? { layer: `${prefix}_0_conv`, kind: 'conv' } : { layer: `${prefix}_0_bn`, kind: 'bn' };
  return { layer: `${prefix}_${position}_${type}`, kind: type === 'conv' ? 'conv' : 'bn' };
}

/** `conv2_block1_1_conv` -> `layer1.0.conv1`, `conv2_block1_0_bn` -> `layer1.0.downsample.1`; undefined without a counterpart. */
export function torchModuleForKerasLayer(layer: string): string | undefined {
  const stem = Object.entries(STEM).find(([, v]) => v.layer === layer);
  if (stem) return stem[0];
  const match = KERAS_BLOCK.exec(layer);
  if (!match) return undefined;
  const [, stage, block, position, type] = match;
  const prefix = `layer${Number(stage) - 1}.${Number(block) - 1}`;
  if (position === '0') return `${prefix}.downsample.${type === 'conv' ? 0 : 1}`;
  return `${prefix}.${type}${position}`;
}

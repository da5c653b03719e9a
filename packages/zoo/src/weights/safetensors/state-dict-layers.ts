import type { KerasLayerWeights, KerasWeight } from '../keras-file';
import { permute, OIHW_TO_HWIO, TRANSPOSE_2D } from './permute';
import type { SafetensorsFile, SafetensorsTensor } from './read-safetensors';
import { IGNORED_TORCH_BUFFERS, kerasLayerForTorchModule, TORCH_TO_KERAS_WEIGHT, type TorchModuleKind } from './torch-names';

export interface StateDictLayers {
  /** One entry per torch module with a Keras counterpart, named by the torch module (`layer1.0.conv1`), weights in Keras layout and names. */
  layers: KerasLayerWeights[];
  /** Torch modules without a Keras counterpart (not read). */
  unmapped: string[];
}

const splitKey = (key: string) => {
  const dot = key.lastIndexOf('.');
  return dot < 0 ? { module: '', param: key } : { module: key.slice(0, dot), param: key.slice(dot + 1) };
};

function toKerasWeight(file: SafetensorsFile, tensor: SafetensorsTensor, kind: TorchModuleKind, label: string): KerasWeight {
  const { param } = splitKey(tensor.name);
  const name = TORCH_TO_KERAS_WEIGHT[kind][param] ?? param;
  const values = file.float32(tensor.name);
  if (param !== 'weight' || kind === 'bn') return { name, shape: tensor.shape, values };
  const rank = kind === 'conv' ? 4 : 2;
  if (tensor.shape.length !== rank) {
    const layout = kind === 'conv' ? '[out, in, height, width]' : '[out, in]';
    throw new Error(`${label}: tensor ${JSON.stringify(tensor.name)}: expected a ${rank}-D ${kind === 'conv' ? 'convolution' : 'linear'} weight ${layout}, got shape ${JSON.stringify(tensor.shape)}`);
  }
  return { name, ...permute(values, tensor.shape, kind === 'conv' ? OIHW_TO_HWIO : TRANSPOSE_2D) };
}

/**
 * Groups a PyTorch ResNet state dict (torchvision / timm names) by module and converts each
 * mapped module's tensors to the Keras layout: conv kernels OIHW -> HWIO, linear weights
 * transposed, BN `weight/bias/running_mean/running_var` -> `gamma/beta/moving_mean/moving_variance`.
 * `num_batches_tracked` is dropped.
 */
export function stateDictToLayers(file: SafetensorsFile, label: string): StateDictLayers {
  const modules = new Map<string, SafetensorsTensor[]>();
  for (const tensor of file.tensors) {
    const { module, param } = splitKey(tensor.name);
    if (IGNORED_TORCH_BUFFERS.has(param)) continue;
    if (!modules.has(module)) modules.set(module, []);
    modules.get(module)!.push(tensor);
  }
  const layers: KerasLayerWeights[] = [];
  const unmapped: string[] = [];
  for (const [module, tensors] of modules) {
    const target = kerasLayerForTorchModule(module);
    if (!target) {
      unmapped.push(module === '' ? tensors.map((t) => t.name).join(', ') : module);
      continue;
    }
    layers.push({ name: module, weights: tensors.map((t) => toKerasWeight(file, t, target.kind, label)) });
  }
  if (layers.length === 0) {
    const seen = file.tensors.slice(0, 3).map((t) => t.name).join(', ') || 'no tensors';
    throw new Error(
      `${label}: no tensor has a torchvision/timm ResNet name (conv1.weight, bn1.weight, layer1.0.conv1.weight, fc.weight, ...); the file has ${seen}`,
    );
  }
  return { layers, unmapped };
}

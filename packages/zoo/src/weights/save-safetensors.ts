import type * as tf from '@tensorflow/tfjs';
import { tfjsWeightName } from './load-keras-weights';
import type { BytesSink } from './save-keras-weights';
import { encodeSafetensors, type TensorToWrite } from './safetensors/encode-safetensors';
import { HWIO_TO_OIHW, permute, TRANSPOSE_2D } from './safetensors/permute';
import { TORCH_TO_KERAS_WEIGHT, torchModuleForKerasLayer, type TorchModuleKind } from './safetensors/torch-names';
import { writeLocalFileAtomic } from './source/local-files';

export interface SaveSafetensorsOptions {
  /** The header's `__metadata__`. Default `{ format: 'pt' }`, as PyTorch's `save_file` writes. */
  metadata?: Record<string, string>;
}

export interface SaveSafetensorsResult {
  bytes: number;
  /** Tensors written, `num_batches_tracked` included. */
  tensors: number;
}

const KIND_OF_CLASS: Record<string, TorchModuleKind> = { Conv2D: 'conv', BatchNormalization: 'bn', Dense: 'dense' };

const asBytes = (values: Float32Array) => new Uint8Array(values.buffer, values.byteOffset, values.byteLength);

function torchModuleOf(layer: tf.layers.Layer): { module: string; kind: TorchModuleKind } {
  const module = torchModuleForKerasLayer(layer.name);
  const kind = KIND_OF_CLASS[layer.getClassName()];
  if (!module || !kind) {
    throw new Error(
      `Layer ${layer.name} (${layer.getClassName()}) has no torchvision name: saveSafetensors writes PyTorch ResNet state dicts ` +
        '(conv1, bn1, layerN.M.convK/bnK, downsample, fc), which zoo v1, v1.5 and basic-block models have; pre-activation (v2) models have no torchvision counterpart',
    );
  }
  return { module, kind };
}

/** A zoo model's weights as a torchvision state dict: names, PyTorch layouts, a zero `num_batches_tracked` per BatchNorm. */
async function stateDictOf(model: tf.LayersModel): Promise<TensorToWrite[]> {
  // The 8-byte counters go first, so every tensor starts aligned to its element size.
  const counters: TensorToWrite[] = [];
  const floats: TensorToWrite[] = [];
  for (const layer of model.layers.filter((l) => l.weights.length > 0)) {
    const { module, kind } = torchModuleOf(layer);
    const torchName = Object.fromEntries(Object.entries(TORCH_TO_KERAS_WEIGHT[kind]).map(([torch, keras]) => [keras, torch]));
    for (const variable of layer.weights) {
      const weight = tfjsWeightName(variable);
      if (variable.dtype !== 'float32' || !torchName[weight]) {
        throw new Error(`Layer ${layer.name}: weight ${variable.originalName} (${variable.dtype}) has no torchvision counterpart`);
      }
      let values = (await variable.read().data()) as Float32Array;
      let shape = variable.shape.map(Number);
      if (weight === 'kernel') ({ values, shape } = permute(values, shape, kind === 'conv' ? HWIO_TO_OIHW : TRANSPOSE_2D));
      floats.push({ name: `${module}.${torchName[weight]}`, dtype: 'F32', shape, bytes: asBytes(values) });
    }
    if (kind === 'bn') counters.push({ name: `${module}.num_batches_tracked`, dtype: 'I64', shape: [], bytes: new Uint8Array(8) });
  }
  return [...counters, ...floats];
}

/** Encodes a zoo model's weights as a torchvision-named safetensors file (Node and browser). */
export async function encodeSafetensorsWeights(model: tf.LayersModel, options: SaveSafetensorsOptions = {}): Promise<{ bytes: Uint8Array; tensors: number }> {
  const tensors = await stateDictOf(model);
  return { bytes: encodeSafetensors(tensors, options.metadata ?? { format: 'pt' }), tensors: tensors.length };
}

/**
 * Writes a zoo ResNet's weights as a PyTorch state dict in safetensors format, with torchvision's
 * names and layouts (`conv1.weight` OIHW, `layer1.0.bn1.running_var`, `fc.weight` [out, in]), so
 * `torchvision.models.resnet50().load_state_dict(safetensors.torch.load_file(path))` takes the
 * weights of `resnet50.tv_in1k`. `target`: a local path (Node; written atomically) or a function
 * receiving the bytes.
 */
export async function saveSafetensors(model: tf.LayersModel, target: string | BytesSink, options: SaveSafetensorsOptions = {}): Promise<SaveSafetensorsResult> {
  const { bytes, tensors } = await encodeSafetensorsWeights(model, options);
  if (typeof target === 'string') await writeLocalFileAtomic(target, bytes);
  else await target(bytes);
  return { bytes: bytes.byteLength, tensors };
}

import type * as tf from '@tensorflow/tfjs';
import { applyWeightFile, type LoadKerasWeightsOptions, type LoadKerasWeightsResult } from '../load-keras-weights';
import type { SafetensorsFile } from './read-safetensors';
import { stateDictToLayers } from './state-dict-layers';
import { kerasLayerForTorchModule } from './torch-names';

/**
 * Keras ResNets have biased convolutions, torchvision's have none: say which variant to build
 * instead of failing on the first convolution's weight count.
 */
function checkConvBiases(model: tf.LayersModel, file: SafetensorsFile, label: string): void {
  const stemConv = model.layers.find((l) => l.name === 'conv1_conv');
  const names = new Set(file.tensors.map((t) => t.name));
  if (!stemConv || !names.has('conv1.weight')) return;
  if (stemConv.weights.length === 2 && !names.has('conv1.bias')) {
    throw new Error(
      `${label}: a torchvision/timm state dict (bias-free convolutions) does not fit model ${model.name}, whose convolutions have biases (a Keras ResNet); ` +
        "build the torchvision variant instead, e.g. createPretrainedModel('resnet50.tv_in1k', { weights }) (listModels('*.tv_in1k'))",
    );
  }
}

/**
 * Loads a PyTorch ResNet state dict (torchvision / timm names) into a zoo model: modules map to
 * Keras layers by name (`layer1.0.conv1` -> `conv2_block1_1_conv`), with layouts converted and
 * every shape checked before anything is set. Modules without a Keras counterpart are reported in
 * `unusedFileLayers`.
 */
export function applyStateDict(
  model: tf.LayersModel,
  file: SafetensorsFile,
  label: string,
  options: LoadKerasWeightsOptions = {},
): LoadKerasWeightsResult {
  if (options.matching === 'topology') {
    throw new Error(`${label}: a safetensors file is matched by tensor name; matching: 'topology' does not apply (tensors are not stored in layer order)`);
  }
  checkConvBiases(model, file, label);
  const { layers, unmapped } = stateDictToLayers(file, label);
  const result = applyWeightFile(model, { layout: 'safetensors', layers }, label, { ...options, matching: 'name' }, (module) => kerasLayerForTorchModule(module)?.layer);
  return { ...result, unusedFileLayers: [...result.unusedFileLayers, ...unmapped] };
}

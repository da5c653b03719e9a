/**
 * The architectures the Train tab offers. Besides the zoo's ResNet18 and ResNet50 it registers a
 * ResNet-10 (ResNet18's basic blocks, one per stage instead of two): the quick choice for a first
 * try, and the one whose training steps stay affordable on software GPUs (SwiftShader WebGPU in
 * the e2e run), where every op dispatch is slow.
 */
import { getModelConfig, listModels, registerModel } from '@resnet-ts/zoo';

export const QUICK_MODEL = 'resnet10';

if (!listModels().includes(QUICK_MODEL)) {
  registerModel({ ...getModelConfig('resnet18'), name: QUICK_MODEL, blocksPerStage: [1, 1, 1, 1] });
}

export const DEMO_MODELS = ['resnet18', 'resnet50', QUICK_MODEL];

export function modelLabel(name: string): string {
  return name === QUICK_MODEL ? `${name} (quick)` : name;
}

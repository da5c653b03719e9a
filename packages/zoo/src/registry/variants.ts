import {
  CAFFE_PREPROCESSING,
  type ModelConfig,
  type PreprocessingConfig,
  TF_PREPROCESSING,
  TORCH_PREPROCESSING,
} from './model-config';
import { TORCH_BN_EPSILON } from '@resnet-ts/blocks';
import type { BlockType } from '../models/stages';

const IMAGENET_DEFAULTS = {
  inputSize: [224, 224, 3],
  numClasses: 1000,
  interpolation: 'bilinear',
  cropPct: 0.875,
  firstConv: 'conv1_conv',
  classifier: 'predictions',
} as const;

function variant(
  name: string,
  blockType: BlockType,
  blocksPerStage: number[],
  family: { preact: boolean; useBias: boolean; preprocessing: PreprocessingConfig; bnEpsilon?: number },
): ModelConfig {
  return { ...IMAGENET_DEFAULTS, name, blockType, blocksPerStage, ...family };
}

/** torchvision structure: bias-free convolutions everywhere. */
const BASIC = { preact: false, useBias: false, preprocessing: TORCH_PREPROCESSING };
/** Keras ResNet / ResNetV2: biased convolutions except inside v2 blocks. */
const V1 = { preact: false, useBias: true, preprocessing: CAFFE_PREPROCESSING };
const V2 = { preact: true, useBias: true, preprocessing: TF_PREPROCESSING };
/**
 * torchvision's ResNets as timm names their weights (`<architecture>.tv_in1k`): bias-free
 * convolutions, PyTorch's BN epsilon, v1.5 bottlenecks, so a torchvision/timm `state_dict` maps
 * one to one (see `loadModelWeights` and `.safetensors`).
 */
const TORCHVISION = { preact: false, useBias: false, preprocessing: TORCH_PREPROCESSING, bnEpsilon: TORCH_BN_EPSILON };

/** The built-in variants, in listing order. */
export const BUILTIN_MODELS: readonly ModelConfig[] = [
  variant('resnet18', 'basic', [2, 2, 2, 2], BASIC),
  variant('resnet34', 'basic', [3, 4, 6, 3], BASIC),
  variant('resnet50', 'bottleneck', [3, 4, 6, 3], V1),
  variant('resnet101', 'bottleneck', [3, 4, 23, 3], V1),
  variant('resnet152', 'bottleneck', [3, 8, 36, 3], V1),
  variant('resnet50v2', 'preact-bottleneck', [3, 4, 6, 3], V2),
  variant('resnet101v2', 'preact-bottleneck', [3, 4, 23, 3], V2),
  variant('resnet152v2', 'preact-bottleneck', [3, 8, 36, 3], V2),
  variant('resnet18.tv_in1k', 'basic', [2, 2, 2, 2], TORCHVISION),
  variant('resnet34.tv_in1k', 'basic', [3, 4, 6, 3], TORCHVISION),
  variant('resnet50.tv_in1k', 'bottleneck-v1.5', [3, 4, 6, 3], TORCHVISION),
  variant('resnet101.tv_in1k', 'bottleneck-v1.5', [3, 4, 23, 3], TORCHVISION),
  variant('resnet152.tv_in1k', 'bottleneck-v1.5', [3, 8, 36, 3], TORCHVISION),
  // torchvision's V2 weights (`IMAGENET1K_V2`): the same networks, evaluated with crop 0.965 at 224.
  { ...variant('resnet50.tv2_in1k', 'bottleneck-v1.5', [3, 4, 6, 3], TORCHVISION), cropPct: 0.965 },
  { ...variant('resnet101.tv2_in1k', 'bottleneck-v1.5', [3, 4, 23, 3], TORCHVISION), cropPct: 0.965 },
  { ...variant('resnet152.tv2_in1k', 'bottleneck-v1.5', [3, 8, 36, 3], TORCHVISION), cropPct: 0.965 },
];

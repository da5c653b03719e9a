/** Activation of the `predictions` layer: 'softmax' (probabilities) or null for raw logits. */
export type ClassifierActivation = 'softmax' | 'sigmoid' | null;

/** Global pooling of the feature map when `includeTop` is false. */
export type Pooling = 'avg' | 'max';

/** Options of every ResNet builder, as Keras applications name them. */
export interface ResNetOptions {
  /** Input shape, channels last `[height, width, channels]`; height and width 32..2048, channels 1..1024. Default [224, 224, 3]. */
  inputShape?: [number, number, number];
  /** Include the `avg_pool` + `predictions` classifier head. Default true. */
  includeTop?: boolean;
  /**
   * Pooling when `includeTop` is false: 'avg' (`avg_pool`), 'max' (`max_pool`) or undefined for the
   * 4D feature map. Ignored when `includeTop` is true (the head always average-pools), as in Keras.
   */
  pooling?: Pooling;
  /** Number of classes of the `predictions` layer. Default 1000. */
  classes?: number;
  /** Activation of `predictions`: 'softmax' (default), 'sigmoid', or null for logits. */
  classifierActivation?: ClassifierActivation;
  /** Model name. Default: the variant's name (`resnet50`, `resnet50v2`, ...). */
  name?: string;
  /**
   * Pretrained weights: null (default) for random initialisation. Building is synchronous and
   * loading is not, so a path or URL goes to `await createPretrainedModel(name, { weights })`;
   * `createModel` rejects it with an error saying so (see `check-weights.ts`).
   */
  weights?: string | null;
  /**
   * Start every residual branch at zero, so each block begins as the identity (timm's
   * `zero_init_last`, torchvision's `zero_init_residual`; Goyal et al. 2017): the gamma of the
   * branch's last BatchNorm (v1, basic blocks) or the kernel of its last convolution (v2). Deep
   * ResNets trained from scratch learn much faster in their first hundred steps. Default false,
   * as in Keras.
   */
  zeroInitResidual?: boolean;
  /**
   * Seed of the random initialisation (an integer). Each initialiser of each layer gets its own
   * seed derived from this one and the layer's name (`initializerSeed` of `@resnet-ts/blocks`), so
   * two builds with the same seed have identical weights, and a layer's weights depend on its
   * name and shape only, not on the layers built before it (resnet18 and resnet34 share their
   * `conv1_conv` kernel). Default: unseeded, different weights on every build, as in Keras.
   */
  seed?: number;
}

/** Options with every default filled in (`pooling` and `seed` may stay undefined). */
export type ResolvedResNetOptions = Required<Omit<ResNetOptions, 'pooling' | 'seed'>> & Pick<ResNetOptions, 'pooling' | 'seed'>;

export const DEFAULT_INPUT_SHAPE: [number, number, number] = [224, 224, 3];

/** Keras's smallest accepted spatial size for ResNets: 32 (five stride-2 reductions down to 1x1). */
export const MIN_INPUT_SIZE = 32;

/**
 * Largest height and width accepted: at 2048 one image's first activation (conv1, 1024x1024x64
 * float32) is already 256 MiB, more than all of ResNet50's weights. Checked up front, so 100000
 * is an error naming the option rather than "Invalid typed array length" deep inside tfjs.
 */
export const MAX_INPUT_SIZE = 2048;

/** Most input channels accepted (conv1's kernel grows with them: 1024 channels make 3.2 M weights). */
export const MAX_INPUT_CHANNELS = 1024;

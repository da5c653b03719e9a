import { StartingWeightsError } from '../../errors';

/** Options of zoo's `imagenetWeightsFile` (the Keras ImageNet weights, downloaded once into a cache). */
export interface ImagenetWeightsFileOptions {
  /** With the 1000-class classifier (`..._tf_dim_ordering_tf_kernels.h5`) or without it (`_notop`). */
  includeTop: boolean;
  cacheDir?: string;
  fetch?: typeof fetch;
  onProgress?: (received: number, total?: number) => void;
}

/** Resolves the Keras ImageNet weights of `variant` to a local .h5 path. */
export type ImagenetWeightsFile = (variant: string, options: ImagenetWeightsFileOptions) => Promise<string>;

/**
 * Stands in for `imagenetWeightsFile` of `@resnet-ts/zoo/node` until it is part of this build:
 * `model.weights: 'imagenet'` plugs in here and nowhere else.
 */
export const imagenetWeightsFile: ImagenetWeightsFile = async (variant) => {
  throw new StartingWeightsError(
    'imagenet',
    `weights "imagenet" for ${variant} are not available in this build yet (the ImageNet download cache is not part of @resnet-ts/zoo here): ` +
      'download the Keras .h5 (e.g. resnet50_weights_tf_dim_ordering_tf_kernels.h5) and pass its path instead',
  );
};

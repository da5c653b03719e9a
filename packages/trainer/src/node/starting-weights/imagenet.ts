import type { ImagenetWeightsFileOptions } from '@resnet-ts/zoo/node';

/** Resolves the Keras ImageNet weights of `variant` to a local .h5 path (zoo's `imagenetWeightsFile`, or a stand-in in tests). */
export type ImagenetWeightsFile = (variant: string, options: ImagenetWeightsFileOptions) => Promise<string>;

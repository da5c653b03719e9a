/**
 * Keras's ImageNet weight files for the ResNet variants that have them, as
 * `keras.applications` downloads them: the URL base, the file names and the file hashes are
 * those of keras-team/keras `keras/src/applications/resnet.py` (`BASE_WEIGHTS_PATH`,
 * `WEIGHTS_HASHES`, and the `_weights_tf_dim_ordering_tf_kernels[_notop].h5` names in `ResNet()`),
 * read at commit 040582fc160b1080954ddc1f554dd70fbbb1da5a. Keras's hashes are 32 hex digits: MD5
 * (its `get_file` takes a 64-digit hash as SHA-256 and anything else as MD5), so they are kept as
 * MD5 here rather than recomputed; a hash of the full file is checked before the file is used.
 * Platform-neutral: the browser can fetch the same URLs.
 */

/** Where Keras publishes its ResNet ImageNet weights. */
export const KERAS_WEIGHTS_BASE_URL = 'https://storage.googleapis.com/tensorflow/keras-applications/resnet/';

/** `[with top, without top]` MD5 of each variant's file, from Keras's `WEIGHTS_HASHES`. */
const KERAS_WEIGHTS_MD5: Readonly<Record<string, readonly [string, string]>> = {
  resnet50: ['2cb95161c43110f7111970584f804107', '4d473c1dd8becc155b73f8504c6f6626'],
  resnet101: ['f1aeb4b969a6efcfb50fad2f0c20cfc5', '88cf7a10940856eca736dc7b7e228a21'],
  resnet152: ['100835be76be38e30d865e96f2aaae62', 'ee4c566cf9a93f14d82f913c2dc6dd0c'],
  resnet50v2: ['3ef43a0b657b3be2300d5770ece849e0', 'fac2f116257151a9d068a22e544a4917'],
  resnet101v2: ['6343647c601c52e1368623803854d971', 'c0ed64b8031c3730f411d2eb4eea35b5'],
  resnet152v2: ['a49b44d1979771252814e80f8ec446f9', 'ed17cf2e0169df9d443503ef94b23b33'],
};

/** The variants Keras publishes ImageNet weights for. */
export const IMAGENET_WEIGHT_VARIANTS: readonly string[] = Object.keys(KERAS_WEIGHTS_MD5);

/** One Keras ImageNet weight file: what to download and how to check it. */
export interface ImagenetWeightsSource {
  /** Keras's file name, e.g. `resnet50_weights_tf_dim_ordering_tf_kernels_notop.h5`. */
  fileName: string;
  /** The download URL: `baseUrl` + `fileName`. */
  url: string;
  /** Keras's hash of the whole file (hex). */
  fileHash: string;
  /** `'md5'` for every file Keras publishes today. */
  hashAlgorithm: 'md5' | 'sha256';
}

export interface ImagenetWeightsSourceOptions {
  /** The file with the `predictions` classifier (default) or without it (`_notop`). */
  includeTop?: boolean;
  /** Where the files are published (default Keras's, `KERAS_WEIGHTS_BASE_URL`); for a mirror. */
  baseUrl?: string;
}

/** Which Keras ImageNet file a variant loads, and its hash. Variants without one are an error naming those that have one. */
export function imagenetWeightsSource(variant: string, options: ImagenetWeightsSourceOptions = {}): ImagenetWeightsSource {
  const hashes = KERAS_WEIGHTS_MD5[variant];
  if (!hashes) {
    throw new Error(
      `${variant}: Keras publishes no ImageNet weights for it; "imagenet" weights exist for ${IMAGENET_WEIGHT_VARIANTS.join(', ')} ` +
        '(or pass a local .h5 file)',
    );
  }
  const includeTop = options.includeTop ?? true;
  const fileName = `${variant}_weights_tf_dim_ordering_tf_kernels${includeTop ? '' : '_notop'}.h5`;
  const base = options.baseUrl ?? KERAS_WEIGHTS_BASE_URL;
  return { fileName, url: `${base.endsWith('/') ? base : `${base}/`}${fileName}`, fileHash: hashes[includeTop ? 0 : 1], hashAlgorithm: 'md5' };
}

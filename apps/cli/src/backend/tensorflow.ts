import * as tf from '@tensorflow/tfjs';
import { BackendUnavailableError, firstLine, isModuleNotFound } from './errors';
import type { BackendOptions, LoadedBackend } from './types';

type NativeBackend = 'tensorflow-gpu' | 'tensorflow';

/** The optional native packages behind each TensorFlow backend. */
export const NATIVE_PACKAGES: Record<NativeBackend, string> = {
  'tensorflow-gpu': '@tensorflow/tfjs-node-gpu',
  tensorflow: '@tensorflow/tfjs-node',
};

/**
 * Loads libtensorflow through `@tensorflow/tfjs-node(-gpu)`. Both are optional peers, opt-in: their
 * install downloads libtensorflow (hundreds of MB), so installing the CLI never pulls them, and a
 * user adds one next to it. The import specifier is a variable so that neither TypeScript nor the
 * bundler insists on them; it resolves from the CLI's own folder upwards, which is where npm puts
 * a package installed next to `@resnet-ts/cli` (locally or with -g).
 */
export async function loadTensorflow(backend: NativeBackend, options: BackendOptions): Promise<LoadedBackend> {
  const specifier = NATIVE_PACKAGES[backend];
  const installHint = `npm i ${specifier}`;
  const notes: string[] = [];
  if (options.threads !== undefined) {
    // libtensorflow reads its thread pool size from the environment when it starts.
    process.env.TF_NUM_INTRAOP_THREADS = String(options.threads);
  }
  try {
    await import(/* @vite-ignore */ specifier);
  } catch (error) {
    if (isModuleNotFound(error, specifier)) {
      throw new BackendUnavailableError(backend, `${specifier} is not installed`, installHint);
    }
    throw new BackendUnavailableError(backend, `${specifier} failed to load: ${firstLine(error)}`, installHint);
  }
  const ok = await tf.setBackend('tensorflow');
  if (!ok || tf.getBackend() !== 'tensorflow') {
    throw new BackendUnavailableError(
      backend,
      `${specifier} loaded but did not register with this @tensorflow/tfjs ${tf.version.tfjs} (versions must match)`,
      `${installHint}@${tf.version.tfjs}`,
    );
  }
  const threads = options.threads ?? null;
  return { tfjsBackend: 'tensorflow', simd: null, threads, canTrain: true, notes };
}

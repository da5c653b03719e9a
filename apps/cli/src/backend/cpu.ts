import * as tf from '@tensorflow/tfjs';
import { BackendUnavailableError } from './errors';
import type { BackendOptions, LoadedBackend } from './types';

/** The pure-JavaScript backend: always there, slow for convolutions, single-threaded. */
export async function loadCpu(options: BackendOptions): Promise<LoadedBackend> {
  if (!(await tf.setBackend('cpu'))) throw new BackendUnavailableError('cpu', 'tfjs could not start its cpu backend');
  // The cpu backend prints a multi-line "install tfjs-node" banner on its first tensor; the CLI has
  // already said which backend it uses and why (one line), so mark the banner as shown.
  (tf.backend() as unknown as { firstUse?: boolean }).firstUse = false;
  const notes: string[] = [];
  if (options.threads !== undefined && options.threads !== 1) {
    notes.push(`--threads ${options.threads} ignored: the cpu backend is single-threaded`);
  }
  return { tfjsBackend: 'cpu', simd: null, threads: 1, canTrain: true, notes };
}

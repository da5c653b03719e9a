import { readFile, stat } from 'node:fs/promises';
import { dirname, extname, join, resolve } from 'node:path';
import type * as tf from '@tensorflow/tfjs';
import { readModelCard } from '@resnet-ts/zoo';
import { StartingWeightsError } from '../../errors';
import type { StartingWeightsOrigin } from '../../starting-normalization';
import { readRunInfo } from '../run-json';
import { firstModelFolder, runModelCandidates } from '../run-model-folder';
import { imagenetWeightsFile, type DownloadProgress } from '@resnet-ts/zoo/node';
import type { ImagenetWeightsFile } from './imagenet';

/** Starting weights found on disk: what to read and the model card that came with them. */
export interface StartingWeights extends StartingWeightsOrigin {
  /** The .h5 or .safetensors file, tfjs model folder or model.json the weights are read from (absolute). */
  path: string;
}

export interface ResolveStartingWeightsOptions {
  /** The registry variant being trained (which ImageNet file `imagenet` means). */
  model: string;
  /** The model keeps its classifier (for `imagenet`: the file with the top, else `_notop`). Default true. */
  includeTop?: boolean;
  /** Resolves `imagenet` to a local .h5. Default: zoo's `imagenetWeightsFile` (downloaded once into the cache). */
  imagenetWeightsFile?: ImagenetWeightsFile;
  /** Download progress of `imagenet` (e.g. zoo's `createProgressBar()`). */
  onProgress?: (progress: DownloadProgress) => void;
}

export const STARTING_WEIGHTS_HELP =
  'a Keras .h5 or .safetensors file, a tfjs model folder or model.json, a run folder (from resnet train or the demo), or imagenet';

/**
 * Finds the starting weights `spec` names: `imagenet`, a Keras `.h5`/`.hdf5` or `.safetensors`
 * file, a tfjs model folder or its model.json, or a run folder, whose model is its final `model/`,
 * else its best checkpoint, else its last (the one `resnet evaluate` reads). Throws a
 * `StartingWeightsError` naming the path and what it expected.
 */
export async function resolveStartingWeights(spec: string, options: ResolveStartingWeightsOptions): Promise<StartingWeights> {
  if (spec === 'imagenet') {
    const fetchFile = options.imagenetWeightsFile ?? imagenetWeightsFile;
    const file = await fetchFile(options.model, { includeTop: options.includeTop ?? true, ...(options.onProgress ? { onProgress: options.onProgress } : {}) }).catch((error: Error) => {
      throw new StartingWeightsError(spec, error.message);
    });
    return { spec, kind: 'imagenet', path: resolve(file) };
  }
  if (/^[a-z][a-z0-9+.-]+:\/\//i.test(spec)) {
    throw new StartingWeightsError(spec, `${spec}: starting weights are read from local files only; download the file and pass its path`);
  }
  const path = resolve(spec);
  const info = await stat(path).catch(() => null);
  if (!info) throw new StartingWeightsError(spec, `${path}: no such file or folder (expected ${STARTING_WEIGHTS_HELP})`);
  if (info.isFile()) {
    const ext = extname(path).toLowerCase();
    if (ext === '.h5' || ext === '.hdf5') return { spec, kind: 'keras-h5', path };
    if (ext === '.safetensors') return { spec, kind: 'safetensors', path };
    if (ext === '.json') return { spec, kind: 'tfjs', path, ...(await cardOf(spec, path)) };
    throw new StartingWeightsError(spec, `${path}: not a weights file this reads (expected ${STARTING_WEIGHTS_HELP})`);
  }
  const run = await readRunInfo(path).catch((error: Error) => {
    throw new StartingWeightsError(spec, error.message);
  });
  if (run) {
    const candidates = runModelCandidates(path);
    const folder = await firstModelFolder(candidates);
    if (!folder) throw new StartingWeightsError(spec, `${path}: the run has no model yet (looked for ${candidates.map((c) => join(c, 'model.json')).join(', ')})`);
    return { spec, kind: 'run', path: folder, ...(await cardOf(spec, join(folder, 'model.json'))) };
  }
  if (await firstModelFolder([path])) return { spec, kind: 'tfjs', path, ...(await cardOf(spec, join(path, 'model.json'))) };
  throw new StartingWeightsError(spec, `${path}: neither a run folder (no run.json) nor a tfjs model folder (no model.json); expected ${STARTING_WEIGHTS_HELP}`);
}

/** The model card in a model.json, when it has one (a model without one gets none, not an assumed one). */
async function cardOf(spec: string, modelJson: string): Promise<Pick<StartingWeights, 'card'>> {
  let artifacts: tf.io.ModelArtifacts;
  try {
    artifacts = JSON.parse(await readFile(modelJson, 'utf8')) as tf.io.ModelArtifacts;
  } catch (error) {
    throw new StartingWeightsError(spec, `${modelJson}: not a tfjs model.json (${(error as Error).message})`);
  }
  try {
    const { card, assumed } = readModelCard(artifacts);
    return assumed ? {} : { card };
  } catch (error) {
    throw new StartingWeightsError(spec, `${modelJson}: ${(error as Error).message}`);
  }
}

/** The files whose bytes are the weights: the file itself, or a tfjs model.json and its shards in manifest order. */
export async function weightFiles(weights: Pick<StartingWeights, 'path' | 'kind'>): Promise<string[]> {
  const isTfjs = weights.kind === 'tfjs' || weights.kind === 'run';
  if (!isTfjs) return [weights.path];
  const modelJson = weights.path.toLowerCase().endsWith('.json') ? weights.path : join(weights.path, 'model.json');
  const manifest = (JSON.parse(await readFile(modelJson, 'utf8')) as tf.io.ModelJSON).weightsManifest ?? [];
  return [modelJson, ...manifest.flatMap((group) => group.paths.map((p) => join(dirname(modelJson), p)))];
}

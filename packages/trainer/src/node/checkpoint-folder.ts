import * as tf from '@tensorflow/tfjs';
import { fileIO, replaceFolderAtomic } from '@resnet-ts/zoo/node';
import { open, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CheckpointData, CheckpointStore, CheckpointTag, TrainingState } from '../checkpoint';
import type { TrainConfig } from '../config';
import { linkIdenticalFiles } from './link-identical';

/**
 * Checkpoints as folders of a run directory:
 * `checkpoints/<tag>/{model/, optimizer.json, optimizer.bin, state.json}` plus `<key>.json` and
 * `<key>.bin` for each callback's tensors (`ema`, `early-stopping`), listed in state.json.
 * Each checkpoint folder is replaced atomically, so a crash mid-save keeps the previous one
 * (as `<tag>.old` between the two renames). Weight shards identical to those of the other
 * checkpoint or of the final `model/` are hard links to them (stored once).
 */
export class FolderCheckpointStore implements CheckpointStore {
  constructor(readonly runDir: string) {}

  folder(tag: CheckpointTag): string {
    return join(this.runDir, 'checkpoints', tag);
  }

  async save(tag: CheckpointTag, checkpoint: CheckpointData): Promise<void> {
    const other = await readableFolder(this.folder(tag === 'last' ? 'best' : 'last'));
    // Only a checkpoint of the same step can hold the same weights: comparing with one of another
    // step would read two ResNet50-sized shards (about 190 MB) for nothing at most saves.
    const sameStep = other !== null && (await checkpointStep(other)) === checkpoint.state.step;
    const folder = this.folder(tag);
    await replaceFolderAtomic(folder, async (temp) => {
      await fileIO(join(temp, 'model')).save!(checkpoint.model);
      await linkIdenticalFiles(join(temp, 'model'), [...(sameStep ? [join(other, 'model')] : []), join(this.runDir, 'model')]);
      await writeTensors(temp, 'optimizer', checkpoint.optimizer.slots, {
        type: checkpoint.optimizer.type,
        iterations: checkpoint.optimizer.iterations,
      });
      const tensorKeys = Object.keys(checkpoint.tensors);
      for (const key of tensorKeys) await writeTensors(temp, key, checkpoint.tensors[key], {});
      const meta = { state: checkpoint.state, config: checkpoint.config, classNames: checkpoint.classNames, tensors: tensorKeys };
      await writeFile(join(temp, 'state.json'), JSON.stringify(meta));
    }, { backup: `${folder}.old`, what: 'cannot write the checkpoint' });
  }

  async load(tag: CheckpointTag): Promise<CheckpointData | null> {
    const folder = await readableFolder(this.folder(tag));
    if (!folder) return null;
    const model = await fileIO(join(folder, 'model')).load!();
    const { tensors: tensorKeys, ...meta } = JSON.parse(await readFile(join(folder, 'state.json'), 'utf8')) as {
      state: TrainingState;
      config: TrainConfig;
      classNames: string[];
      /** Absent in 0.1 checkpoints, whose only callback tensors were `ema`. */
      tensors?: string[];
    };
    if (meta.state?.format !== 'resnet-ts/training-state') {
      throw new Error(`${join(folder, 'state.json')}: not a resnet-ts training state (format "${meta.state?.format}").`);
    }
    const optimizer = await readTensors(folder, 'optimizer');
    const keys = tensorKeys ?? ((await exists(join(folder, 'ema.json'))) ? ['ema'] : []);
    const tensors: CheckpointData['tensors'] = {};
    for (const key of keys) tensors[key] = (await readTensors(folder, key)).tensors;
    return {
      model,
      optimizer: {
        type: optimizer.meta.type as CheckpointData['optimizer']['type'],
        iterations: optimizer.meta.iterations as number,
        slots: optimizer.tensors,
      },
      tensors,
      ...meta,
    };
  }
}

/** The step a checkpoint folder was taken at; null when its state.json cannot be read. */
async function checkpointStep(folder: string): Promise<number | null> {
  try {
    const meta = JSON.parse(await readFile(join(folder, 'state.json'), 'utf8')) as { state?: { step?: unknown } };
    return typeof meta.state?.step === 'number' ? meta.state.step : null;
  } catch {
    return null;
  }
}

async function exists(path: string): Promise<boolean> {
  return (await stat(path).catch(() => null)) !== null;
}

/** The checkpoint folder, or the `.old` copy left by a crash between the two renames of a save. */
export async function readableFolder(folder: string): Promise<string | null> {
  if (await exists(join(folder, 'state.json'))) return folder;
  if (await exists(join(`${folder}.old`, 'state.json'))) return `${folder}.old`;
  return null;
}

/**
 * `<name>.bin` (the tensors' values one after another, as tf.io.encodeWeights lays them out) and
 * `<name>.json` (their specs). Each tensor's values are written as they are read, without joining
 * them into one buffer first: for ResNet50's Adam slots that buffer was 190 MB to fill and copy.
 */
async function writeTensors(folder: string, name: string, tensors: tf.NamedTensorMap, meta: Record<string, unknown>): Promise<void> {
  const specs: tf.io.WeightsManifestEntry[] = [];
  const handle = await open(join(folder, `${name}.bin`), 'w');
  try {
    for (const [key, tensor] of Object.entries(tensors)) {
      // The dtypes readTensors reads back (a string tensor's encoding has no fixed size per value).
      if (tensor.dtype === 'string' || tensor.dtype === 'complex64') {
        throw new Error(`${join(folder, `${name}.bin`)}: tensor ${key} is ${tensor.dtype}; checkpoints hold float32, int32 and bool tensors`);
      }
      const values = (await tensor.data()) as Float32Array | Int32Array | Uint8Array;
      // Appends: successive writeFile calls on one handle continue from its position.
      await handle.writeFile(new Uint8Array(values.buffer, values.byteOffset, values.byteLength));
      specs.push({ name: key, shape: [...tensor.shape], dtype: tensor.dtype });
    }
  } finally {
    await handle.close();
  }
  await writeFile(join(folder, `${name}.json`), JSON.stringify({ ...meta, specs }));
}

async function readTensors(folder: string, name: string): Promise<{ tensors: tf.NamedTensorMap; meta: Record<string, unknown> }> {
  const jsonPath = join(folder, `${name}.json`);
  const meta = JSON.parse(await readFile(jsonPath, 'utf8')) as { specs: tf.io.WeightsManifestEntry[] } & Record<string, unknown>;
  const bytes = await readFile(join(folder, `${name}.bin`));
  const expected = meta.specs.reduce((n, s) => n + s.shape.reduce((a, b) => a * b, 1) * (s.dtype === 'float32' || s.dtype === 'int32' ? 4 : 1), 0);
  if (bytes.byteLength !== expected) {
    throw new Error(`${join(folder, `${name}.bin`)}: ${bytes.byteLength} bytes but ${jsonPath} describes ${expected}; the checkpoint is corrupt.`);
  }
  const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  return { tensors: tf.io.decodeWeights(buffer, meta.specs), meta };
}

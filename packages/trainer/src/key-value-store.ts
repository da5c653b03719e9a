import * as tf from '@tensorflow/tfjs';
import { joinWeightData, type CheckpointData, type CheckpointStore, type CheckpointTag } from './checkpoint';

/** A minimal async key-value store holding structured-clonable values (IndexedDB, a Map...). */
export interface KeyValueStore {
  get(key: string): Promise<unknown>;
  /** Must replace the value atomically. */
  put(key: string, value: unknown): Promise<void>;
}

interface StoredTensors {
  specs: tf.io.WeightsManifestEntry[];
  data: ArrayBuffer;
}

interface StoredCheckpoint {
  format: 'resnet-ts/checkpoint';
  model: Omit<tf.io.ModelArtifacts, 'weightData'> & { weightData: ArrayBuffer };
  optimizer: { type: CheckpointData['optimizer']['type']; iterations: number; slots: StoredTensors };
  tensors?: Record<string, StoredTensors>;
  /** 0.1 records: the EMA weights, today `tensors.ema`. */
  ema?: StoredTensors;
  state: CheckpointData['state'];
  config: CheckpointData['config'];
  classNames: string[];
}

async function encode(map: tf.NamedTensorMap): Promise<StoredTensors> {
  const { data, specs } = await tf.io.encodeWeights(map);
  return { data, specs };
}

/**
 * Checkpoints as single records of a key-value store (`<prefix>/<tag>`): one put per checkpoint,
 * so a store with atomic puts (IndexedDB) never holds half a checkpoint.
 */
export class KeyValueCheckpointStore implements CheckpointStore {
  constructor(
    private readonly kv: KeyValueStore,
    private readonly prefix = 'resnet-ts-run',
  ) {}

  async save(tag: CheckpointTag, c: CheckpointData): Promise<void> {
    const record: StoredCheckpoint = {
      format: 'resnet-ts/checkpoint',
      model: { ...c.model, weightData: joinWeightData(c.model.weightData) },
      optimizer: { type: c.optimizer.type, iterations: c.optimizer.iterations, slots: await encode(c.optimizer.slots) },
      tensors: Object.fromEntries(await Promise.all(Object.entries(c.tensors).map(async ([key, map]) => [key, await encode(map)] as const))),
      state: structuredClone(c.state),
      config: structuredClone(c.config),
      classNames: [...c.classNames],
    };
    await this.kv.put(`${this.prefix}/${tag}`, record);
  }

  async load(tag: CheckpointTag): Promise<CheckpointData | null> {
    const key = `${this.prefix}/${tag}`;
    const record = (await this.kv.get(key)) as StoredCheckpoint | undefined;
    if (record === undefined || record === null) return null;
    if (record.format !== 'resnet-ts/checkpoint') throw new Error(`${key}: not a resnet-ts checkpoint record.`);
    return {
      model: record.model,
      optimizer: {
        type: record.optimizer.type,
        iterations: record.optimizer.iterations,
        slots: tf.io.decodeWeights(record.optimizer.slots.data, record.optimizer.slots.specs),
      },
      tensors: Object.fromEntries(
        Object.entries(record.tensors ?? (record.ema ? { ema: record.ema } : {})).map(([k, t]) => [k, tf.io.decodeWeights(t.data, t.specs)]),
      ),
      state: record.state,
      config: record.config,
      classNames: record.classNames,
    };
  }
}

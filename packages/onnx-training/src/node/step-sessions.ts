import type * as tf from '@tensorflow/tfjs';
import type * as Ort from 'onnxruntime-node';
import { buildTrainingGraph, type TrainingGraph, type TrainingGraphOptions } from '@resnet-ts/onnx';
import type { OnnxSessionOptions } from '@resnet-ts/onnx/node';
import type { OptimizerSpec, StepOptions } from '@resnet-ts/trainer';
import { openGraphSession } from './open-graph-session';

/** A training-step graph and the onnxruntime session that runs it. */
export interface StepSession {
  graph: TrainingGraph;
  session: Ort.InferenceSession;
}

/**
 * The step sessions of one run, built on first use and kept for the batch sizes and settings in
 * use. A graph has a fixed batch size, so a smaller last batch gets its own session rather than
 * padding, which BatchNorm's batch statistics would see. Settings baked into the graph (label
 * smoothing, clip norm, top-k, per-weight learning-rate scales, which layers train) are part of
 * the key: a transfer stage that unfreezes layers gets a new graph. The two most recent sessions
 * stay open (full batches and the last one of an epoch); older ones are released.
 */
export class StepSessions {
  private readonly cache = new Map<string, Promise<StepSession>>();

  constructor(
    private readonly model: tf.LayersModel,
    private readonly optimizer: OptimizerSpec,
    private readonly sessionOptions: OnnxSessionOptions,
    private readonly capacity = 2,
  ) {}

  get(batchSize: number, options: StepOptions): Promise<StepSession> {
    const lrScales = Object.fromEntries([...(options.lrScales ?? new Map<string, number>())].filter(([, scale]) => scale !== 1).sort(([a], [b]) => (a < b ? -1 : 1)));
    const trainable = this.model.trainableWeights.map((w) => w.originalName);
    const settings = { labelSmoothing: options.labelSmoothing, fromLogits: options.fromLogits, clipNorm: options.clipNorm, topK: options.topK };
    const key = JSON.stringify([batchSize, settings, lrScales, trainable]);
    let entry = this.cache.get(key);
    if (entry) {
      // Most recently used last.
      this.cache.delete(key);
      this.cache.set(key, entry);
      return entry;
    }
    entry = this.open({ ...settings, lrScales, batchSize });
    // A failed build is not cached: the next step reports it again instead of a stale promise.
    entry.catch(() => this.cache.delete(key));
    this.cache.set(key, entry);
    for (const [oldKey, old] of this.cache) {
      if (this.cache.size <= this.capacity) break;
      this.cache.delete(oldKey);
      void old.then(({ session }) => session.release(), () => {});
    }
    return entry;
  }

  private async open(settings: Omit<TrainingGraphOptions, 'optimizer'>): Promise<StepSession> {
    const graph = buildTrainingGraph(this.model, { ...settings, optimizer: { ...this.optimizer } });
    return { graph, session: await openGraphSession(graph.bytes, this.sessionOptions, `the training step of ${this.model.name}`) };
  }

  async dispose(): Promise<void> {
    const entries = [...this.cache.values()];
    this.cache.clear();
    await Promise.all(entries.map((entry) => entry.then(({ session }) => session.release(), () => {})));
  }
}

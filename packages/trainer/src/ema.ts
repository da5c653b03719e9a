import * as tf from '@tensorflow/tfjs';
import type { EngineWeightAverage } from './engine/step-engine';
import { fromNamedByPosition, namedByPosition, orderedWeights } from './weights';

/**
 * Exponential moving average of all model weights (trainable ones and BatchNorm statistics), as in
 * timm's ModelEmaV2: shadow = decay * shadow + (1 - decay) * weight after every optimizer step.
 */
export class WeightEma {
  private shadows: tf.Variable[];
  private readonly weights: tf.LayerVariable[];
  /** The engine's own average, when it keeps one: updated there, read into the shadows when they are needed. */
  private source: EngineWeightAverage | undefined;
  /** Whether the engine's average moved since the shadows last matched it (validation, then two checkpoints, read it once). */
  private sourceAhead = false;

  constructor(
    private readonly model: tf.LayersModel,
    readonly decay: number,
  ) {
    this.weights = orderedWeights(model);
    if (!(decay > 0 && decay < 1)) throw new Error(`ema.decay must be in (0, 1), got ${decay}.`);
    this.shadows = tf.tidy(() => this.weights.map((w) => tf.variable(w.read().clone(), false)));
  }

  /** Whether the average is kept by an engine ({@link attach}). */
  get attached(): boolean {
    return this.source !== undefined;
  }

  /** Lets an engine keep the average from now on, starting from the current one. */
  attach(source: EngineWeightAverage): void {
    this.source = source;
    this.push();
  }

  update(): void {
    if (this.source) {
      this.source.update();
      this.sourceAhead = true;
      return;
    }
    tf.tidy(() => {
      this.weights.forEach((w, i) => {
        const shadow = this.shadows[i];
        shadow.assign(tf.add(tf.mul(shadow, this.decay), tf.mul(w.read(), 1 - this.decay)));
      });
    });
  }

  /** Runs `fn` with the averaged weights loaded into the model, then puts the live weights back. */
  async withAveragedWeights<T>(fn: () => Promise<T>): Promise<T> {
    const live = this.swapIn();
    try {
      return await fn();
    } finally {
      this.swapOut(live);
    }
  }

  /** Loads the averages into the model; returns copies of the live weights for {@link swapOut}. */
  swapIn(): tf.Tensor[] {
    this.pull();
    const live = this.weights.map((w) => tf.keep(w.read().clone()));
    this.copyInto(this.shadows);
    return live;
  }

  /** Puts back (and frees) the live weights that {@link swapIn} returned. */
  swapOut(live: tf.Tensor[]): void {
    this.copyInto(live);
    tf.dispose(live);
  }

  /** Replaces the model's weights with the averages (end of training). */
  applyToModel(): void {
    this.pull();
    this.copyInto(this.shadows);
  }

  /** Named copies of the shadow weights; the caller disposes them. */
  getWeights(): tf.NamedTensorMap {
    this.pull();
    return namedByPosition(this.model, this.shadows.map((s) => s.clone()));
  }

  setWeights(weights: tf.NamedTensorMap): void {
    fromNamedByPosition(this.model, weights, 'EMA checkpoint').forEach((saved, i) => this.shadows[i].assign(saved));
    this.push();
  }

  dispose(): void {
    tf.dispose(this.shadows);
    this.shadows = [];
  }

  /** Shadows <- the engine's average. */
  private pull(): void {
    if (!this.source || !this.sourceAhead) return;
    const averages = this.source.read();
    this.weights.forEach((w, i) => {
      const values = averages.get(w.originalName);
      if (!values) throw new Error(`EMA: the engine keeps no average of weight "${w.originalName}"`);
      tf.tidy(() => this.shadows[i].assign(tf.tensor(values, this.shadows[i].shape, this.shadows[i].dtype)));
    });
    this.sourceAhead = false;
  }

  /** The engine's average <- shadows. */
  private push(): void {
    if (!this.source) return;
    this.source.load(new Map(this.weights.map((w, i) => [w.originalName, this.shadows[i].dataSync() as Float32Array])));
    this.sourceAhead = false;
  }

  private copyInto(values: readonly tf.Tensor[]): void {
    this.weights.forEach((w, i) => w.write(values[i]));
  }
}

import * as tf from '@tensorflow/tfjs';
import type { EngineWeightAverage } from './engine/step-engine';
import { emaDecay, emaUpdatesAt, type EmaSchedule } from './ema-decay';
import { fromNamedByPosition, namedByPosition, weightOwners } from './weights';

/**
 * Exponential moving average of all model weights (trainable ones and BatchNorm statistics), as in
 * timm's ModelEmaV2: shadow += (1 - decay) * (weight - shadow) after every optimizer step (a frozen
 * weight's average stays bit-identical to it), or on a schedule (`EmaSchedule`: every few steps,
 * a warmup) with {@link update} and {@link catchUp}.
 */
export class WeightEma {
  private shadows: tf.Variable[];
  private readonly weights: tf.LayerVariable[];
  /** The layer of each weight: a frozen layer's weights are left out of an update. */
  private readonly layers: tf.layers.Layer[];
  /** The engine's own average, when it keeps one: updated there, read into the shadows when they are needed. */
  private source: EngineWeightAverage | undefined;
  /** Whether the engine's average moved since the shadows last matched it (validation, then two checkpoints, read it once). */
  private sourceAhead = false;

  private readonly schedule: EmaSchedule;
  /** The optimizer step the average last took the weights in at (a resumed run sets it). */
  lastUpdateStep = 0;

  /** `schedule`: a decay (every step, no warmup) or the whole schedule. */
  constructor(
    private readonly model: tf.LayersModel,
    schedule: number | EmaSchedule,
  ) {
    const owners = weightOwners(model);
    this.weights = owners.map(({ weight }) => weight);
    this.layers = owners.map(({ layer }) => layer);
    this.schedule = typeof schedule === 'number' ? { decay: schedule } : schedule;
    const { decay, every = 1 } = this.schedule;
    if (!(decay > 0 && decay < 1)) throw new Error(`ema.decay must be in (0, 1), got ${decay}.`);
    if (!(Number.isInteger(every) && every >= 1)) throw new Error(`ema.every must be a whole number of steps, 1 or more, got ${every}.`);
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

  /** The per-step decay (before warmup). */
  get decay(): number {
    return this.schedule.decay;
  }

  /**
   * Folds the model's weights (or the engine's) into the average after optimizer step `step`
   * (1-based: the count after the step), if the schedule updates at that step. The step, not a
   * count of calls, decides, so a resumed run updates at the same steps as an uninterrupted one.
   * Without `step`: an update at the plain decay.
   */
  update(step?: number): void {
    if (step === undefined) this.fold(this.schedule.decay);
    else if (this.updatesAt(step)) this.foldAt(step);
  }

  /** Whether {@link update} after optimizer step `step` would fold the weights in. */
  updatesAt(step: number): boolean {
    return emaUpdatesAt(step, this.schedule);
  }

  /**
   * Takes in the steps since the last update (at `decay ** steps`), so an average that is about to
   * be read (validation, the end of the run) is never behind the weights; a no-op when it is not.
   * Without it, a run shorter than `every` steps would end with its starting weights.
   */
  catchUp(step: number): boolean {
    if (step <= this.lastUpdateStep) return false;
    this.foldAt(step);
    return true;
  }

  private foldAt(step: number): void {
    this.fold(emaDecay(step, step - this.lastUpdateStep, this.schedule));
    this.lastUpdateStep = step;
  }

  /**
   * One update. A frozen layer's weights are left out: their average already equals them (the
   * update is exact for a constant), so reading them would only cost time; with a frozen ResNet50
   * backbone and a head trained on cached features, that was nearly all of the update. (A layer
   * that trained and was then frozen keeps the average it had; transfer stages only unfreeze.)
   */
  private fold(decay: number): void {
    const frozen = this.layers.map((layer) => !layer.trainable);
    if (this.source) {
      this.source.update(decay, new Set(this.weights.filter((_, i) => frozen[i]).map((w) => w.originalName)));
      this.sourceAhead = true;
      return;
    }
    tf.tidy(() => {
      this.weights.forEach((w, i) => {
        if (frozen[i]) return;
        const shadow = this.shadows[i];
        shadow.assign(tf.add(shadow, tf.mul(tf.sub(w.read(), shadow), 1 - decay)));
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

  /**
   * With an engine-kept average: the engine holds (a copy of) the averages until
   * {@link swapOutOnEngine}; the model is not written. Returns false, doing nothing, without one.
   */
  swapInOnEngine(): boolean {
    if (!this.source) return false;
    this.source.swapIn();
    return true;
  }

  swapOutOnEngine(): void {
    this.source?.swapOut();
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

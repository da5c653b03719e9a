import type * as tf from '@tensorflow/tfjs';
import { WeightEma } from '../ema';
import type { EmaOptions } from '../config';
import type { CheckpointTag } from '../checkpoint';
import type { CallbackState, TrainBeginLogs, TrainEndLogs, TrainerCallback, TrainerContext } from './types';

/**
 * Weight EMA (timm's ModelEmaV2) as a callback: updates the average after every step (or every
 * `every` steps, with a warmup if asked), validates with it (swapped in for the validation window),
 * and leaves it in the model at the end.
 */
export class EmaCallback implements TrainerCallback {
  readonly stateKey = 'ema';
  private readonly ema: WeightEma;
  private readonly evaluate: boolean;
  private readonly applyAtEnd: boolean;
  private live: tf.Tensor[] | null = null;
  private swappedOnEngine = false;
  /** Whether a checkpoint said where the average last took the weights in (older ones do not). */
  private restored = false;

  constructor(
    private readonly model: tf.LayersModel,
    options: EmaOptions = {},
  ) {
    this.ema = new WeightEma(model, { decay: options.decay ?? 0.999, every: options.every, warmup: options.warmup });
    this.evaluate = options.evaluate !== false;
    this.applyAtEnd = options.applyAtEnd !== false;
  }

  tensorState(tag: CheckpointTag): tf.NamedTensorMap {
    // Only `last` is resumed from; `best` holds the validated weights, which are the average already.
    return tag === 'last' ? this.ema.getWeights() : {};
  }

  loadTensorState(tensors: tf.NamedTensorMap): void {
    if (Object.keys(tensors).length === 0) return;
    this.ema.setWeights(tensors);
  }

  stateDict(): CallbackState {
    return { lastUpdateStep: this.ema.lastUpdateStep };
  }

  loadStateDict(state: CallbackState): void {
    if (typeof state.lastUpdateStep !== 'number') return;
    this.ema.lastUpdateStep = state.lastUpdateStep;
    this.restored = true;
  }

  onTrainBegin(_logs: TrainBeginLogs, ctx: TrainerContext): void {
    // A fresh run starts its average at step 0; a checkpoint without the step updated every step.
    if (!this.restored) this.ema.lastUpdateStep = ctx.engine.optimizerSteps;
    // An engine with its own copy of the weights (onnxruntime) averages them there: without it,
    // every step would first copy them into the model (for ResNet50, 100 MB of layout transposes).
    const source = ctx.engine.weightAverage?.(this.model);
    if (source) this.ema.attach(source);
  }

  async onBatchEnd(_batch: number, _logs: unknown, ctx: TrainerContext): Promise<void> {
    const step = ctx.engine.optimizerSteps;
    if (!this.ema.updatesAt(step)) return;
    if (!this.ema.attached) await ctx.engine.syncToModel();
    this.ema.update(step);
  }

  /** Takes in the steps since the last update (see `WeightEma.catchUp`) before the average is read. */
  private async catchUp(ctx: TrainerContext): Promise<void> {
    const step = ctx.engine.optimizerSteps;
    if (step <= this.ema.lastUpdateStep) return;
    if (!this.ema.attached) await ctx.engine.syncToModel();
    this.ema.catchUp(step);
  }

  async onValidationBegin(_epoch: number, ctx: TrainerContext): Promise<void> {
    // Every epoch, validated or not: the checkpoints of its end hold an average that is up to date.
    await this.catchUp(ctx);
    if (!this.evaluate) return;
    // An engine-kept average is swapped in on the engine: no copy through the model and back (for
    // ResNet50 on onnxruntime, four passes over 100 MB of layout transposes per epoch).
    if ((this.swappedOnEngine = this.ema.swapInOnEngine())) return;
    await ctx.engine.syncToModel();
    this.live = this.ema.swapIn();
    await ctx.engine.syncFromModel();
  }

  async onValidationEnd(_epoch: number, _logs: unknown, ctx: TrainerContext): Promise<void> {
    if (this.swappedOnEngine) {
      this.ema.swapOutOnEngine();
      this.swappedOnEngine = false;
      return;
    }
    if (!this.live) return;
    this.ema.swapOut(this.live);
    this.live = null;
    await ctx.engine.syncFromModel();
  }

  async onTrainEnd(logs: TrainEndLogs, ctx: TrainerContext): Promise<void> {
    if (!this.applyAtEnd || logs.stopReason !== 'completed') return;
    await this.catchUp(ctx);
    this.ema.applyToModel();
    await ctx.engine.syncFromModel();
  }

  dispose(): void {
    this.ema.dispose();
  }
}

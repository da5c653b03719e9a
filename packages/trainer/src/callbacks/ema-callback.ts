import type * as tf from '@tensorflow/tfjs';
import { WeightEma } from '../ema';
import type { EmaOptions } from '../config';
import type { TrainBeginLogs, TrainEndLogs, TrainerCallback, TrainerContext } from './types';

/**
 * Weight EMA (timm's ModelEmaV2) as a callback: updates the average after every step, validates
 * with it (swapped in for the validation window), and leaves it in the model at the end.
 */
export class EmaCallback implements TrainerCallback {
  readonly stateKey = 'ema';
  private readonly ema: WeightEma;
  private readonly evaluate: boolean;
  private readonly applyAtEnd: boolean;
  private live: tf.Tensor[] | null = null;

  constructor(
    private readonly model: tf.LayersModel,
    options: EmaOptions = {},
  ) {
    this.ema = new WeightEma(model, options.decay ?? 0.999);
    this.evaluate = options.evaluate !== false;
    this.applyAtEnd = options.applyAtEnd !== false;
  }

  tensorState(): tf.NamedTensorMap {
    return this.ema.getWeights();
  }

  loadTensorState(tensors: tf.NamedTensorMap): void {
    this.ema.setWeights(tensors);
  }

  onTrainBegin(_logs: TrainBeginLogs, ctx: TrainerContext): void {
    // An engine with its own copy of the weights (onnxruntime) averages them there: without it,
    // every step would first copy them into the model (for ResNet50, 100 MB of layout transposes).
    const source = ctx.engine.weightAverage?.(this.model, this.ema.decay);
    if (source) this.ema.attach(source);
  }

  async onBatchEnd(_batch: number, _logs: unknown, ctx: TrainerContext): Promise<void> {
    if (!this.ema.attached) await ctx.engine.syncToModel();
    this.ema.update();
  }

  async onValidationBegin(_epoch: number, ctx: TrainerContext): Promise<void> {
    if (!this.evaluate) return;
    await ctx.engine.syncToModel();
    this.live = this.ema.swapIn();
    await ctx.engine.syncFromModel();
  }

  async onValidationEnd(_epoch: number, _logs: unknown, ctx: TrainerContext): Promise<void> {
    if (!this.live) return;
    this.ema.swapOut(this.live);
    this.live = null;
    await ctx.engine.syncFromModel();
  }

  async onTrainEnd(logs: TrainEndLogs, ctx: TrainerContext): Promise<void> {
    if (!this.applyAtEnd || logs.stopReason !== 'completed') return;
    this.ema.applyToModel();
    await ctx.engine.syncFromModel();
  }

  dispose(): void {
    this.ema.dispose();
  }
}

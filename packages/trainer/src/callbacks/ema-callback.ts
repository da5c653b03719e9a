import type * as tf from '@tensorflow/tfjs';
import { WeightEma } from '../ema';
import type { EmaOptions } from '../config';
import type { TrainEndLogs, TrainerCallback, TrainerContext } from './types';

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

  constructor(model: tf.LayersModel, options: EmaOptions = {}) {
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

  async onBatchEnd(_batch: number, _logs: unknown, ctx: TrainerContext): Promise<void> {
    await ctx.engine.syncToModel();
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

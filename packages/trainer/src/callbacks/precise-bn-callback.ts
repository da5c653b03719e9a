import type { TrainEndLogs, TrainerCallback, TrainerContext } from './types';

export interface PreciseBnCallbackOptions {
  /**
   * Recompute once more when the run completes: set when a callback before this one puts other
   * weights in the model at the end (EMA's average), whose statistics would otherwise be averages
   * of the lagging moving ones.
   */
  atTrainEnd?: boolean;
}

/**
 * Precise BN: BatchNorm statistics averaged over `batches` training batches for the weights about
 * to be validated (after EMA swapped its average in), at each epoch's validation window, also
 * without validation data, so that the epoch end, its checkpoints and the final model hold
 * statistics of their own weights.
 */
export class PreciseBnCallback implements TrainerCallback {
  /** `batches`: training batches to average over. */
  constructor(
    private readonly batches: number,
    private readonly options: PreciseBnCallbackOptions = {},
  ) {}

  async onValidationBegin(epoch: number, ctx: TrainerContext): Promise<void> {
    await this.recalibrate(epoch, ctx);
  }

  async onTrainEnd(logs: TrainEndLogs, ctx: TrainerContext): Promise<void> {
    if (!this.options.atTrainEnd || logs.stopReason !== 'completed') return;
    await this.recalibrate(Math.max(0, logs.history.length - 1), ctx);
    // The caller reads the model after the end-of-run callbacks.
    await ctx.engine.syncToModel();
  }

  private async recalibrate(epoch: number, ctx: TrainerContext): Promise<void> {
    // On the engine's own weights: the onnxruntime engine runs it natively, with no round trip through the model.
    await ctx.engine.recalibrateBatchNorm(ctx.trainData, { batches: this.batches, batchSize: ctx.batchSize, epoch });
  }
}

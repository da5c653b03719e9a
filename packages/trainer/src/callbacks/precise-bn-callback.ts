import type { TrainerCallback, TrainerContext } from './types';

/** Precise BN before each validation: BatchNorm statistics averaged over `batches` training batches. */
export class PreciseBnCallback implements TrainerCallback {
  constructor(private readonly batches: number) {}

  async onValidationBegin(epoch: number, ctx: TrainerContext): Promise<void> {
    if (!ctx.valData) return;
    // On the engine's own weights: the onnxruntime engine runs it natively, with no round trip through the model.
    await ctx.engine.recalibrateBatchNorm(ctx.trainData, { batches: this.batches, batchSize: ctx.batchSize, epoch });
  }
}

import { recalibrateBatchNorm } from '../precise-bn';
import type { TrainerCallback, TrainerContext } from './types';

/** Precise BN before each validation: BatchNorm statistics averaged over `batches` training batches. */
export class PreciseBnCallback implements TrainerCallback {
  constructor(private readonly batches: number) {}

  async onValidationBegin(epoch: number, ctx: TrainerContext): Promise<void> {
    if (!ctx.valData) return;
    await ctx.engine.syncToModel();
    await recalibrateBatchNorm(ctx.model, ctx.trainData, { batches: this.batches, batchSize: ctx.batchSize, epoch });
    await ctx.engine.syncFromModel();
  }
}

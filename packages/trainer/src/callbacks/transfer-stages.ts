import { applyTransfer, backboneLrScales, type TransferOptions } from '../transfer';
import type { TrainerCallback, TrainerContext } from './types';

/**
 * Transfer-learning stages: which layers train, and how fast the backbone learns, are pure
 * functions of the epoch and the model, so it keeps no state.
 */
export class TransferStages implements TrainerCallback {
  constructor(private readonly options: TransferOptions) {}

  onEpochBegin(epoch: number, ctx: TrainerContext): void {
    applyTransfer(ctx.model, this.options, epoch);
    ctx.weightLrScales = backboneLrScales(ctx.model, this.options);
  }
}

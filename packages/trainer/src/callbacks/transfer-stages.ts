import { applyTransfer, type TransferOptions } from '../transfer';
import type { TrainerCallback, TrainerContext } from './types';

/** Transfer-learning stages: which layers train is a pure function of the epoch, so it keeps no state. */
export class TransferStages implements TrainerCallback {
  constructor(private readonly options: TransferOptions) {}

  onEpochBegin(epoch: number, ctx: TrainerContext): void {
    applyTransfer(ctx.model, this.options, epoch);
  }
}

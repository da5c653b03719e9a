import type * as tf from '@tensorflow/tfjs';
import type { CheckpointTag } from '../checkpoint';
import type { ResolvedTrainConfig } from '../config';
import { EarlyStopping } from './early-stopping';
import { EmaCallback } from './ema-callback';
import { ModelCheckpoint } from './model-checkpoint';
import { PreciseBnCallback } from './precise-bn-callback';
import { ReduceLrOnPlateau } from './reduce-lr-on-plateau';
import { TransferStages } from './transfer-stages';
import type { TrainerCallback } from './types';

export interface BuiltinCallbacks {
  /** Run before the user's callbacks, in this order. */
  before: TrainerCallback[];
  /** Runs after the user's callbacks, so that its snapshots see every other callback's state. */
  checkpoint: ModelCheckpoint;
}

/**
 * The callbacks a config asks for. Their order is part of the behaviour: layers are frozen before
 * anything else sees the epoch; EMA swaps its average in before precise BN recalibrates (the weights
 * validated get statistics of their own); EMA applies its average at the end, precise BN then
 * recalibrates it, before early stopping may put the best weights back.
 */
export function builtinCallbacks(
  config: ResolvedTrainConfig,
  model: tf.LayersModel,
  save: (tag: CheckpointTag) => Promise<void>,
): BuiltinCallbacks {
  const before: TrainerCallback[] = [];
  if (config.transfer) before.push(new TransferStages(config.transfer));
  if (config.ema) before.push(new EmaCallback(model, config.ema));
  if (config.preciseBnBatches > 0) {
    const emaAtEnd = config.ema !== false && config.ema.applyAtEnd !== false;
    before.push(new PreciseBnCallback(config.preciseBnBatches, { atTrainEnd: emaAtEnd }));
  }
  if (config.schedule.type === 'plateau') before.push(new ReduceLrOnPlateau(config.schedule, config.lr));
  if (config.earlyStopping) before.push(new EarlyStopping(model, config.earlyStopping));
  const checkpoint = new ModelCheckpoint({ monitor: config.monitor, everySteps: config.checkpointEverySteps, save });
  return { before, checkpoint };
}

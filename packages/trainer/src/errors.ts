import type { EpochLogs } from './callbacks/types';
import { messageNumber } from './message-number';

/**
 * Thrown when a training step produces a NaN or infinite loss or gradient. No weights were updated
 * by that step.
 */
export class NonFiniteLossError extends Error {
  constructor(
    readonly epoch: number,
    readonly batch: number,
    readonly step: number,
    readonly loss: number,
    readonly history: EpochLogs[],
    lastCheckpointStep: number | null,
    /** The step's global gradient norm: what was not finite when the loss was. */
    readonly gradNorm?: number,
  ) {
    // The loss can stay finite over NaN weights (cross-entropy clips its probabilities, and wasm's
    // clip maps NaN to the bound): then the gradients are what broke, and the message says so.
    const what =
      Number.isFinite(loss) && gradNorm !== undefined
        ? `The gradient norm became ${messageNumber(gradNorm)}, with the loss at ${messageNumber(loss)},`
        : `Loss became ${messageNumber(loss)}`;
    super(
      `${what} at epoch ${epoch + 1}, batch ${batch + 1} (step ${step + 1}); training stopped. ` +
        (lastCheckpointStep === null
          ? 'No checkpoint had been written. '
          : `The last good checkpoint (step ${lastCheckpointStep}) was kept. `) +
        'Try a lower learning rate, gradient clipping (clipNorm) or check the data for bad values.',
    );
    this.name = 'NonFiniteLossError';
  }
}

/**
 * Starting weights that cannot be used as asked (a missing file, weights that do not fit the model,
 * a normalization other than the one they were trained with). `spec` is what was asked for.
 */
export class StartingWeightsError extends Error {
  constructor(
    readonly spec: string,
    message: string,
  ) {
    super(message);
    this.name = 'StartingWeightsError';
  }
}

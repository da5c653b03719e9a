import type { EpochLogs } from './callbacks/types';

/** Thrown when a training step produces a NaN or infinite loss. No weights were updated by that step. */
export class NonFiniteLossError extends Error {
  constructor(
    readonly epoch: number,
    readonly batch: number,
    readonly step: number,
    readonly loss: number,
    readonly history: EpochLogs[],
    lastCheckpointStep: number | null,
  ) {
    super(
      `Loss became ${loss} at epoch ${epoch + 1}, batch ${batch + 1} (step ${step + 1}); training stopped. ` +
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

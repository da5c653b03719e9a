import * as tf from '@tensorflow/tfjs';
import type { StepEngine } from './step-engine';

/** A step engine whose inner engine can be replaced between epochs (see `switchTo`). */
export interface SwitchableEngine extends StepEngine {
  /**
   * Goes on with `next` (e.g. the full model's engine after the head's): the weights pass through
   * the model, the optimizer state is carried over (its slots are keyed by weight name, so the
   * head's moments and the step count continue), and the current engine is disposed.
   */
  switchTo(next: StepEngine): Promise<void>;
}

export function switchableEngine(first: StepEngine): SwitchableEngine {
  let current = first;
  return {
    get name() {
      return current.name;
    },
    step: (batch, options) => current.step(batch, options),
    evaluate: (data, options) => current.evaluate(data, options),
    recalibrateBatchNorm: (data, options) => current.recalibrateBatchNorm(data, options),
    get optimizerSteps() {
      return current.optimizerSteps;
    },
    optimizerState: () => current.optimizerState(),
    loadOptimizerState: (state) => current.loadOptimizerState(state),
    syncToModel: () => current.syncToModel(),
    syncFromModel: () => current.syncFromModel(),
    // An average lives with the engine that made it; the only switch (cached features to images)
    // changes the model too, and an engine makes none for a model it does not step.
    weightAverage: (model) => current.weightAverage?.(model),
    dispose: () => current.dispose(),
    async switchTo(next) {
      await current.syncToModel();
      const state = current.optimizerState();
      try {
        await next.syncFromModel();
        next.loadOptimizerState(state);
      } catch (error) {
        next.dispose();
        throw error;
      } finally {
        tf.dispose(Object.values(state.slots));
      }
      current.dispose();
      current = next;
    },
  };
}

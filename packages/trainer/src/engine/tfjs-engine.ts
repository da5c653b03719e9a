import * as tf from '@tensorflow/tfjs';
import { evaluate } from '../evaluate';
import { Optimizer } from '../optimizers';
import { recalibrateBatchNorm } from '../precise-bn';
import { trainStep } from '../train-step';
import type { StepEngine, StepEngineFactory } from './step-engine';

/** The trainer's own step on the active tfjs backend: `tf.variableGrads` and the trainer's optimizers. */
export const tfjsEngine: StepEngineFactory = ({ model, optimizer: spec }): StepEngine => {
  const optimizer = new Optimizer(spec);
  return {
    name: `tfjs (${tf.getBackend()})`,
    step: (batch, options) => trainStep(model, optimizer, batch, options),
    evaluate: (data, options) => evaluate(model, data, options),
    recalibrateBatchNorm: (data, options) => recalibrateBatchNorm(model, data, options),
    get optimizerSteps() {
      return optimizer.step;
    },
    optimizerState: () => optimizer.getState(),
    loadOptimizerState: (state) => optimizer.setState(state),
    // The model's variables are the engine's weights.
    syncToModel: async () => {},
    syncFromModel: async () => {},
    dispose: () => optimizer.dispose(),
  };
};

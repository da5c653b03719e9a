import * as tf from '@tensorflow/tfjs';

/** Builds a model from `body` on a symbolic input, hands it to `check`, then disposes it. */
export function withModel(
  inputShape: number[],
  body: (x: tf.SymbolicTensor) => tf.SymbolicTensor,
  check: (model: tf.LayersModel) => void,
): void {
  const input = tf.input({ shape: inputShape });
  const model = tf.model({ inputs: input, outputs: body(input) });
  try {
    check(model);
  } finally {
    model.dispose();
  }
}

/** Names of the model's layers, without the input layer. */
export function layerNames(model: tf.LayersModel): string[] {
  return model.layers.filter((l) => l.getClassName() !== 'InputLayer').map((l) => l.name);
}

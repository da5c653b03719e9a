/** The error for `weights: 'imagenet'`: this library downloads nothing from Keras's servers. */
export function imagenetWeightsError(modelName: string): Error {
  return new Error(
    `${modelName}: weights 'imagenet' cannot be downloaded by resnet-ts; download the Keras ImageNet .h5 ` +
      `(e.g. resnet50_weights_tf_dim_ordering_tf_kernels.h5) yourself and pass its local path or URL: weights: '/path/to/weights.h5'`,
  );
}

/** The error for `createModel(name, { weights })`: building is synchronous, loading is not. */
export function asyncWeightsError(modelName: string, weights: string): Error {
  return new Error(
    `${modelName}: createModel builds synchronously and cannot load weights ${JSON.stringify(weights)}; ` +
      `use await createPretrainedModel(${JSON.stringify(modelName)}, { ...options, weights: ${JSON.stringify(weights)} }) ` +
      'or loadModelWeights(createModel(...), source)',
  );
}

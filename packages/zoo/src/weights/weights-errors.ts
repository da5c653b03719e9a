/** The error for `weights: 'imagenet'`: this library downloads nothing from Keras's servers. */
export function imagenetWeightsError(modelName: string): Error {
  return new Error(
    `${modelName}: weights "imagenet" are not yet supported: resnet-ts downloads nothing from Keras's servers. ` +
      'Download the Keras ImageNet .h5 (e.g. resnet50_weights_tf_dim_ordering_tf_kernels.h5) yourself and pass a local file: ' +
      `await createPretrainedModel(${JSON.stringify(modelName)}, { weights: '/path/to/weights.h5' })`,
  );
}

/** The error for `createModel(name, { weights })`: building is synchronous, loading is not. */
export function asyncWeightsError(modelName: string, weights: string): Error {
  return new Error(
    `${modelName}: weights ${JSON.stringify(weights)} are not yet supported by createModel, which builds synchronously; ` +
      `load them with await createPretrainedModel(${JSON.stringify(modelName)}, { ...options, weights: ${JSON.stringify(weights)} }) ` +
      `or loadModelWeights(createModel(...), ${JSON.stringify(weights)})`,
  );
}

/** The error for `weights: 'imagenet'`: the builders take a file; the download lives in `/node`. */
export function imagenetWeightsError(modelName: string): Error {
  const name = JSON.stringify(modelName);
  return new Error(
    `${modelName}: weights "imagenet" are not yet supported here: pass the Keras ImageNet .h5 as a file. In Node, ` +
      `imagenetWeightsFile(${name}, { includeTop }) of '@resnet-ts/zoo/node' downloads it into the cache and returns its path: ` +
      `await createPretrainedModel(${name}, { weights: await imagenetWeightsFile(${name}) }); ` +
      `elsewhere pass its URL, imagenetWeightsSource(${name}).url, or its bytes`,
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

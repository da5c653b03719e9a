export { buildTrainingGraph } from './build-training-graph';
export { buildForwardGraph, type ForwardGraph, type ForwardGraphOptions } from './build-forward-graph';
export { trainableLayerClasses } from './layer-trainers';
export { graphOptimizerNames } from './optimizers';
export type { TrainingGraph, TrainingGraphOptions, TrainingGraphSlot, TrainingGraphWeight } from './options';
export { toGraphLayout, toKerasLayout, trainingWeightLayouts, type GraphLayout } from './weight-layout';

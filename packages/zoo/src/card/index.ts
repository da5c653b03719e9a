// The model card: one versioned record of what a model needs to be used correctly.
export { MODEL_CARD_NORMALIZATIONS, type ModelCardNormalization } from './normalizations';
export { WEIGHT_SOURCES, STARTING_WEIGHT_KINDS, type ModelCard, type StartingWeightsRecord, type StartingWeightKind } from './schema';
export { ModelCardError } from './parse-model-card';
export { modelCardFor, type ModelCardExtras } from './model-card-for';
export { writeModelCard } from './write-model-card';
export { readModelCard, type ModelCardSource, type ReadModelCardOptions, type ReadModelCardResult } from './read-model-card';

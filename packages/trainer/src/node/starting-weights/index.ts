// Starting weights of a run (recipe `model.weights`): find them, load them, record where they came from.
export { resolveStartingWeights, STARTING_WEIGHTS_HELP, type StartingWeights, type ResolveStartingWeightsOptions } from './resolve';
export { loadStartingWeights, type LoadStartingWeightsOptions, type LoadedStartingWeights } from './load';
export type { ImagenetWeightsFile } from './imagenet';

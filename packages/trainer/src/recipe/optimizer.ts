import { getOptimizer, listOptimizers, type OptimizerSpec } from '../optimizers';
import { registrySpec } from './fields';

/** `training.optimizer`: `{ type, ...settings }`, the type one of `listOptimizers()`, the settings its definition's. */
export const optimizerSpec = registrySpec<OptimizerSpec>('optimizer', listOptimizers, (type) => getOptimizer(type).settings);

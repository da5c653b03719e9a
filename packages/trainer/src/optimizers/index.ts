export { Optimizer, type OptimizerState } from './optimizer';
export { registerOptimizer, listOptimizers, getOptimizer, type OptimizerSpec, type CustomOptimizerSpecs } from './registry';
export type { OptimizerDefinition, ParamUpdate, RuleStep } from './types';

import { z } from 'zod';
import { listOptimizers, type OptimizerSpec } from '../optimizers';
import { positive, registrySpec, unitInterval } from './fields';

/**
 * The settings each optimizer takes (`OptimizerSpec`; the `Optimizer` fills Keras's defaults).
 * A registered optimizer without an entry here is accepted with any settings.
 */
const OPTIMIZER_SETTINGS = {
  adam: { beta1: unitInterval().optional(), beta2: unitInterval().optional(), epsilon: positive().optional() },
  sgd: { momentum: unitInterval().optional(), nesterov: z.boolean().optional() },
  rmsprop: { rho: unitInterval().optional(), momentum: unitInterval().optional(), epsilon: positive().optional() },
} satisfies Record<OptimizerSpec['type'], z.ZodRawShape>;

/** `training.optimizer`: `{ type, ...settings }`, the type one of `listOptimizers()`. */
export const optimizerSpec = registrySpec<OptimizerSpec>('optimizer', listOptimizers, OPTIMIZER_SETTINGS);

import { Registry, type SpecsOf } from '../registry';
import { adam } from './adam';
import { lamb } from './lamb';
import { lion } from './lion';
import { rmsprop } from './rmsprop';
import { sgd } from './sgd';
import type { OptimizerDefinition } from './types';

/** The built-in rules: adding one is its file plus one entry here (its spec joins OptimizerSpec). */
const BUILTIN = [adam, sgd, rmsprop, lamb, lion] as const;

/**
 * Options of rules registered outside this package, by name, for typed specs: extend it by
 * declaration merging, `declare module '@resnet-ts/trainer' { interface CustomOptimizerSpecs { mine: { beta?: number } } }`.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled by declaration merging
export interface CustomOptimizerSpecs {}

type SpecOf<D> = D extends OptimizerDefinition<infer S> ? S : never;

/** Which update rule to use and its hyper-parameters (Keras's defaults for adam/sgd/rmsprop, timm's for lamb/lion). */
export type OptimizerSpec = SpecOf<(typeof BUILTIN)[number]> | SpecsOf<CustomOptimizerSpecs>;

const optimizers = new Registry<OptimizerDefinition>('optimizer', BUILTIN);

/** Makes `new Optimizer({ type: definition.name })` (and the CLI's `--optimizer`) use this rule. */
export function registerOptimizer<S extends { type: string }>(definition: OptimizerDefinition<S>): void {
  optimizers.register(definition);
}

/** Names of the registered rules, built-ins first. */
export function listOptimizers(): string[] {
  return optimizers.names();
}

/** The rule registered as `name`; throws naming the registered ones. */
export function getOptimizer(name: string): OptimizerDefinition {
  return optimizers.get(name);
}

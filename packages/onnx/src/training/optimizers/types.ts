import type { GraphOps } from '../graph-ops';

/** What an optimizer's graph sees of one trainable weight in one step. */
export interface GraphUpdateStep {
  ops: GraphOps;
  /** The optimizer spec as given (settings read with the trainer's defaults). */
  spec: { type: string; [setting: string]: unknown };
  /** Prefix for value names (the weight key). */
  key: string;
  /** The weight before this step. */
  weight: string;
  /** Its gradient (after clipping). */
  grad: string;
  /** lr times the weight's lrScale, shape []. */
  rate: string;
  /** The step's weight decay when the weight decays (`decays` of @resnet-ts/zoo), else undefined. */
  weightDecay?: string;
  /** 1 - beta^t for this step's t (one node per distinct beta, shared by every weight). */
  biasCorrection(beta: number): string;
  /** The graph input holding slot `<key>/<name>` (zeros at step 1); declares the slot. */
  slot(name: string): string;
  /** The slot's new value, a graph output. */
  setSlot(name: string, value: string): void;
}

/** One optimizer of @resnet-ts/trainer, written as graph nodes with the same math. */
export interface GraphOptimizer {
  name: string;
  /** As the trainer's OptimizerDefinition: decay applied as `w -= rate * wd * w` before adding the update. */
  decoupledDecay: boolean;
  /** The additive update (the negative step). */
  update(step: GraphUpdateStep): string;
}

/** Reads a numeric setting of the spec with its default; a non-number is an error naming it. */
export function setting(spec: GraphUpdateStep['spec'], name: string, fallback: number): number {
  const value = spec[name];
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new Error(`optimizer '${spec.type}': setting '${name}' must be a finite number, got ${JSON.stringify(value)}`);
  }
  return value;
}

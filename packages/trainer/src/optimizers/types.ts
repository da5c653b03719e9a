import type * as tf from '@tensorflow/tfjs';
import type { z } from 'zod';

/** One parameter to update: `key` is stable across save/load (layer/weight name). */
export interface ParamUpdate {
  key: string;
  variable: tf.Variable;
  grad: tf.Tensor;
  /** Apply weight decay to this parameter (kernels yes; biases and BatchNorm no). */
  decay: boolean;
  /** Multiplies the step's learning rate for this parameter (e.g. a slower pretrained backbone). Default 1. */
  lrScale?: number;
}

/** What an update rule sees of one parameter in one step. */
export interface RuleStep<S> {
  spec: S;
  lr: number;
  /** The 1-based step count (for bias corrections). */
  t: number;
  /** The parameter before this step. */
  variable: tf.Variable;
  grad: tf.Tensor;
  /** The trainer's weight decay when the parameter decays, else 0. */
  weightDecay: number;
  /** The slot `<key>/<name>` of this parameter (zeros on first use); the rule assigns it. */
  slot(name: string): tf.Variable;
}

/**
 * An update rule: the per-parameter math of one optimizer. The {@link Optimizer} around it owns
 * the slots, the step count, the saved state and the weight-decay policy.
 */
export interface OptimizerDefinition<S extends { type: string } = { type: string }> {
  /** The `type` of its spec, as in `new Optimizer({ type: name })` and `--optimizer name`. */
  name: S['type'];
  /**
   * `true`: the Optimizer applies weight decay decoupled (AdamW/SGDW: `w -= lr * wd * w`) before
   * adding {@link update}. `false`: the rule folds `step.weightDecay` into its own update (LAMB).
   */
  decoupledDecay: boolean;
  /** The spec's settings besides `type`, as the recipe validates them; without it any settings pass. */
  settings?: z.ZodRawShape;
  /** The additive update (the negative step) for one parameter, inside `tf.tidy`. */
  update(step: RuleStep<S>): tf.Tensor;
  /** A one-pass kernel used instead of {@link update} when available: the new value, weight decay included. */
  fused?: { available(): boolean; update(step: RuleStep<S>): tf.Tensor };
}

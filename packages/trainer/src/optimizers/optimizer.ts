import * as tf from '@tensorflow/tfjs';
import { getOptimizer, type OptimizerSpec } from './registry';
import type { OptimizerDefinition, ParamUpdate, RuleStep } from './types';

/** Serializable optimizer state: the step count and every slot tensor (`<key>/<slot>`). */
export interface OptimizerState {
  type: OptimizerSpec['type'];
  iterations: number;
  slots: tf.NamedTensorMap;
}

/**
 * Any registered update rule (adam, sgd, rmsprop, lamb, lion, ...) with weight decay that skips
 * biases and BatchNorm; rules with `decoupledDecay` get it AdamW / SGDW style
 * (`w -= lr * weightDecay * w`), LAMB inside its trust-ratio update.
 *
 * Written here rather than taken from tf.train because the trainer needs a learning rate that
 * changes every step, slot state keyed by stable weight names (so a reloaded model resumes with
 * its moments), and bias corrections computed in float64 so that a resumed run is bit-exact.
 */
export class Optimizer {
  readonly spec: OptimizerSpec;
  private readonly rule: OptimizerDefinition;
  private iterations = 0;
  private readonly slots = new Map<string, tf.Variable>();

  constructor(spec: OptimizerSpec) {
    this.spec = spec;
    this.rule = getOptimizer(spec.type);
  }

  get step(): number {
    return this.iterations;
  }

  /** Applies one update to every parameter with the given learning rate (times its `lrScale`) and weight decay. */
  apply(params: readonly ParamUpdate[], lr: number, weightDecay = 0): void {
    this.iterations += 1;
    const t = this.iterations;
    const rule = this.rule;
    const fused = rule.fused?.available() ? rule.fused : undefined;
    tf.tidy(() => {
      for (const p of params) {
        const rate = lr * (p.lrScale ?? 1);
        const step: RuleStep<OptimizerSpec> = {
          spec: this.spec,
          lr: rate,
          t,
          variable: p.variable,
          grad: p.grad,
          weightDecay: p.decay ? weightDecay : 0,
          slot: (name) => this.slot(p, name),
        };
        if (fused) {
          p.variable.assign(fused.update(step));
          continue;
        }
        let value: tf.Tensor = p.variable;
        if (rule.decoupledDecay && step.weightDecay > 0) value = tf.sub(value, tf.mul(value, rate * step.weightDecay));
        p.variable.assign(tf.add(value, rule.update(step)));
      }
    });
  }

  private slot(p: ParamUpdate, name: string): tf.Variable {
    const id = `${p.key}/${name}`;
    let slot = this.slots.get(id);
    if (!slot) {
      slot = tf.tidy(() => tf.variable(tf.zerosLike(p.variable), false));
      this.slots.set(id, slot);
    }
    return slot;
  }

  /** Copies of the state (caller disposes the tensors). */
  getState(): OptimizerState {
    const slots: tf.NamedTensorMap = {};
    for (const [id, v] of this.slots) slots[id] = tf.clone(v);
    return { type: this.spec.type, iterations: this.iterations, slots };
  }

  /** Replaces the state with copies of `state`'s tensors (the caller keeps ownership of them). */
  setState(state: OptimizerState): void {
    if (state.type !== this.spec.type) {
      throw new Error(
        `Checkpoint optimizer state is for "${state.type}" but the run uses "${this.spec.type}": resume with the same optimizer.`,
      );
    }
    this.disposeSlots();
    this.iterations = state.iterations;
    for (const [id, tensor] of Object.entries(state.slots)) {
      // tidy frees the clone; variables are never disposed by tidy.
      this.slots.set(id, tf.tidy(() => tf.variable(tensor.clone(), false)));
    }
  }

  dispose(): void {
    this.disposeSlots();
  }

  private disposeSlots(): void {
    for (const v of this.slots.values()) v.dispose();
    this.slots.clear();
  }
}

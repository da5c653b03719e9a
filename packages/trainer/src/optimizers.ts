import * as tf from '@tensorflow/tfjs';
import { fusedAdamAvailable, fusedAdamUpdate } from '@resnet-ts/kernels';

/** Which update rule to use. Hyper-parameters follow Keras's defaults. */
export type OptimizerSpec =
  | { type: 'adam'; beta1?: number; beta2?: number; epsilon?: number }
  | { type: 'sgd'; momentum?: number; nesterov?: boolean }
  | { type: 'rmsprop'; rho?: number; momentum?: number; epsilon?: number };

type AdamSpec = Extract<OptimizerSpec, { type: 'adam' }>;

// PLACEHOLDER (recipe branch): the optimizer registry replaces this with its own listOptimizers()
// at merge; the recipe schema only needs the list of registered names.
/** The registered optimizer names, which the recipe schema accepts for `training.optimizer.type`. */
export const listOptimizers = (): readonly string[] => ['adam', 'sgd', 'rmsprop'];

/** Adam's hyper-parameters with Keras's defaults filled in. */
function adamSettings(spec: AdamSpec): { beta1: number; beta2: number; epsilon: number } {
  return { beta1: spec.beta1 ?? 0.9, beta2: spec.beta2 ?? 0.999, epsilon: spec.epsilon ?? 1e-7 };
}

/** One parameter to update: `key` is stable across save/load (layer/weight name). */
export interface ParamUpdate {
  key: string;
  variable: tf.Variable;
  grad: tf.Tensor;
  /** Apply decoupled weight decay to this parameter (kernels yes; biases and BatchNorm no). */
  decay: boolean;
}

/** Serializable optimizer state: the step count and every slot tensor (`<key>/<slot>`). */
export interface OptimizerState {
  type: OptimizerSpec['type'];
  iterations: number;
  slots: tf.NamedTensorMap;
}

/**
 * Adam, SGD (momentum, Nesterov) and RMSprop with decoupled weight decay (AdamW / SGDW style:
 * `w -= lr * weightDecay * w`, skipped for biases and BatchNorm).
 *
 * Written here rather than taken from tf.train because the trainer needs a learning rate that
 * changes every step, slot state keyed by stable weight names (so a reloaded model resumes with
 * its moments), and bias corrections computed in float64 so that a resumed run is bit-exact.
 */
export class Optimizer {
  readonly spec: Required<OptimizerSpec> | OptimizerSpec;
  private iterations = 0;
  private readonly slots = new Map<string, tf.Variable>();

  constructor(spec: OptimizerSpec) {
    this.spec = spec;
    if (!['adam', 'sgd', 'rmsprop'].includes(spec.type)) {
      throw new Error(`Unknown optimizer "${(spec as { type: string }).type}": use adam, sgd or rmsprop.`);
    }
  }

  get step(): number {
    return this.iterations;
  }

  /** Applies one update to every parameter with the given learning rate and weight decay. */
  apply(params: readonly ParamUpdate[], lr: number, weightDecay = 0): void {
    this.iterations += 1;
    const t = this.iterations;
    if (this.spec.type === 'adam' && fusedAdamAvailable()) {
      this.applyFusedAdam(params, lr, weightDecay, t);
      return;
    }
    tf.tidy(() => {
      for (const p of params) {
        let value: tf.Tensor = p.variable;
        if (weightDecay > 0 && p.decay) value = tf.sub(value, tf.mul(value, lr * weightDecay));
        value = tf.add(value, this.delta(p, lr, t));
        p.variable.assign(value);
      }
    });
  }

  /**
   * Adam through the one-pass kernel of @resnet-ts/kernels (wasm: float32 SIMD; cpu: float64 per
   * element): the same update as {@link delta}; results differ from the composed path in the last
   * bits only.
   */
  private applyFusedAdam(params: readonly ParamUpdate[], lr: number, weightDecay: number, t: number): void {
    const { beta1, beta2, epsilon } = adamSettings(this.spec as AdamSpec);
    const shared = { lr, beta1, beta2, epsilon, biasCorrection1: 1 - beta1 ** t, biasCorrection2: 1 - beta2 ** t };
    tf.tidy(() => {
      for (const p of params) {
        const m = this.slot(p, 'm');
        const v = this.slot(p, 'v');
        const grad = p.grad.dtype === 'float32' ? p.grad : tf.cast(p.grad, 'float32');
        const next = fusedAdamUpdate({ value: p.variable, m, v, grad }, { ...shared, decay: weightDecay > 0 && p.decay ? lr * weightDecay : 0 });
        m.assign(next.m);
        v.assign(next.v);
        p.variable.assign(next.value);
      }
    });
  }

  /** The additive update for one parameter (negative step); updates the slots in place. */
  private delta(p: ParamUpdate, lr: number, t: number): tf.Tensor {
    const spec = this.spec;
    const g = p.grad;
    if (spec.type === 'adam') {
      const { beta1, beta2, epsilon } = adamSettings(spec);
      const m = this.slot(p, 'm');
      const v = this.slot(p, 'v');
      m.assign(tf.add(tf.mul(m, beta1), tf.mul(g, 1 - beta1)));
      v.assign(tf.add(tf.mul(v, beta2), tf.mul(tf.square(g), 1 - beta2)));
      const mHat = tf.div(m, 1 - beta1 ** t);
      const vHat = tf.div(v, 1 - beta2 ** t);
      return tf.mul(tf.div(mHat, tf.add(tf.sqrt(vHat), epsilon)), -lr);
    }
    if (spec.type === 'sgd') {
      const momentum = spec.momentum ?? 0;
      if (momentum === 0) return tf.mul(g, -lr);
      const velocity = this.slot(p, 'momentum');
      velocity.assign(tf.add(tf.mul(velocity, momentum), g));
      const direction = spec.nesterov ? tf.add(g, tf.mul(velocity, momentum)) : velocity;
      return tf.mul(direction, -lr);
    }
    const rho = spec.rho ?? 0.9;
    const epsilon = spec.epsilon ?? 1e-7;
    const momentum = spec.momentum ?? 0;
    const meanSquare = this.slot(p, 'rms');
    meanSquare.assign(tf.add(tf.mul(meanSquare, rho), tf.mul(tf.square(g), 1 - rho)));
    const step = tf.div(tf.mul(g, lr), tf.add(tf.sqrt(meanSquare), epsilon));
    if (momentum === 0) return tf.neg(step);
    const velocity = this.slot(p, 'momentum');
    velocity.assign(tf.add(tf.mul(velocity, momentum), step));
    return tf.neg(velocity);
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

/**
 * The trainer's optimizer step (packages/trainer/src/optimizers, train-step.ts), reproduced in
 * float64 over plain arrays: onnx may not import the trainer. Global-norm clipping, lr * lrScale,
 * the weight-decay policy (`decays`), decoupled decay for adam/sgd/rmsprop/lion, LAMB's own.
 */
export interface ReferenceStepOptions {
  optimizer: { type: string; [setting: string]: unknown };
  lr: number;
  step: number;
  weightDecay: number;
  clipNorm: number;
  lrScales: Record<string, number>;
}

export interface ReferenceParam {
  key: string;
  shape: number[];
  value: Float32Array;
  grad: Float32Array;
}

export function referenceOptimizerStep(
  params: readonly ReferenceParam[],
  slots: ReadonlyMap<string, Float32Array>,
  o: ReferenceStepOptions,
): { weights: Map<string, Float64Array>; slots: Map<string, Float64Array>; gradNorm: number } {
  const gradNorm = Math.sqrt(params.reduce((sum, p) => sum + p.grad.reduce((s, g) => s + g * g, 0), 0));
  const scale = o.clipNorm > 0 && gradNorm > o.clipNorm ? o.clipNorm / gradNorm : 1;
  const spec = o.optimizer;
  const num = (name: string, fallback: number) => (spec[name] as number | undefined) ?? fallback;
  const weights = new Map<string, Float64Array>();
  const newSlots = new Map<string, Float64Array>();
  const t = o.step;
  for (const p of params) {
    const rate = o.lr * (o.lrScales[p.key] ?? 1);
    const decays = p.shape.length >= 2 && !/(^|\/)(bias|gamma|beta)(_\d+)?$/.test(p.key);
    const wd = decays ? o.weightDecay : 0;
    const n = p.value.length;
    const slot = (name: string) => {
      const s = Float64Array.from(slots.get(`${p.key}/${name}`) ?? new Float32Array(n));
      newSlots.set(`${p.key}/${name}`, s);
      return s;
    };
    const g = Float64Array.from(p.grad, (v) => v * scale);
    const w = Float64Array.from(p.value);
    const update = new Float64Array(n);
    if (spec.type === 'adam') {
      const [b1, b2, eps] = [num('beta1', 0.9), num('beta2', 0.999), num('epsilon', 1e-7)];
      const m = slot('m');
      const v = slot('v');
      for (let i = 0; i < n; i++) {
        m[i] = m[i] * b1 + g[i] * (1 - b1);
        v[i] = v[i] * b2 + g[i] * g[i] * (1 - b2);
        update[i] = -rate * (m[i] / (1 - b1 ** t) / (Math.sqrt(v[i] / (1 - b2 ** t)) + eps));
      }
    } else if (spec.type === 'sgd') {
      const momentum = num('momentum', 0);
      const velocity = momentum > 0 ? slot('momentum') : undefined;
      for (let i = 0; i < n; i++) {
        if (!velocity) {
          update[i] = -rate * g[i];
          continue;
        }
        velocity[i] = velocity[i] * momentum + g[i];
        update[i] = -rate * (spec.nesterov ? g[i] + velocity[i] * momentum : velocity[i]);
      }
    } else if (spec.type === 'rmsprop') {
      const [rho, eps, momentum] = [num('rho', 0.9), num('epsilon', 1e-7), num('momentum', 0)];
      const ms = slot('rms');
      const velocity = momentum > 0 ? slot('momentum') : undefined;
      for (let i = 0; i < n; i++) {
        ms[i] = ms[i] * rho + g[i] * g[i] * (1 - rho);
        const step = (g[i] * rate) / (Math.sqrt(ms[i]) + eps);
        if (velocity) velocity[i] = velocity[i] * momentum + step;
        update[i] = -(velocity ? velocity[i] : step);
      }
    } else if (spec.type === 'lion') {
      const [b1, b2] = [num('beta1', 0.9), num('beta2', 0.99)];
      const m = slot('m');
      for (let i = 0; i < n; i++) {
        update[i] = -rate * Math.sign(m[i] * b1 + g[i] * (1 - b1));
        m[i] = m[i] * b2 + g[i] * (1 - b2);
      }
    } else if (spec.type === 'lamb') {
      const [b1, b2, eps] = [num('beta1', 0.9), num('beta2', 0.999), num('epsilon', 1e-6)];
      const m = slot('m');
      const v = slot('v');
      for (let i = 0; i < n; i++) {
        m[i] = m[i] * b1 + g[i] * (1 - b1);
        v[i] = v[i] * b2 + g[i] * g[i] * (1 - b2);
        update[i] = m[i] / (1 - b1 ** t) / (Math.sqrt(v[i]) / Math.sqrt(1 - b2 ** t) + eps) + (wd > 0 ? w[i] * wd : 0);
      }
      if (wd > 0 || spec.alwaysAdapt) {
        const wNorm = l2(w);
        const uNorm = l2(update);
        const ratio = wNorm > 0 && uNorm > 0 ? wNorm / uNorm : 1;
        for (let i = 0; i < n; i++) update[i] *= ratio;
      }
      for (let i = 0; i < n; i++) update[i] *= -rate;
    } else {
      throw new Error(`reference: no optimizer ${spec.type}`);
    }
    const decoupled = spec.type !== 'lamb' && wd > 0;
    for (let i = 0; i < n; i++) w[i] = (decoupled ? w[i] - w[i] * rate * wd : w[i]) + update[i];
    weights.set(p.key, w);
  }
  return { weights, slots: newSlots, gradNorm };
}

function l2(values: Float64Array): number {
  let sum = 0;
  for (const v of values) sum += v * v;
  return Math.sqrt(sum);
}

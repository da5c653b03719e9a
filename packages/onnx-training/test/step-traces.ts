import * as tf from '@tensorflow/tfjs';
import { expect } from 'vitest';
import type { OptimizerSpec, StepEngineFactory, StepOptions, StepResult } from '@resnet-ts/trainer';
import { batchFor, expectClose, setWeights, tensorsByKey, weightsByKey } from './helpers';

export const OPTIONS: StepOptions = { lr: 1e-2, weightDecay: 0, labelSmoothing: 0, fromLogits: false, clipNorm: 0, topK: 2 };

export interface Trace {
  results: StepResult[];
  weights: Map<string, Float32Array>;
  slots: Map<string, Float32Array>;
  steps: number;
}

/** Runs the batches through a fresh engine from `start` and reads back what it ends with. */
export async function runEngine(factory: StepEngineFactory, model: tf.LayersModel, optimizer: OptimizerSpec, start: Map<string, Float32Array>, batches: ReturnType<typeof batchFor>[], options = OPTIONS): Promise<Trace> {
  setWeights(model, start);
  const engine = await factory({ model, optimizer });
  try {
    const results: StepResult[] = [];
    for (const batch of batches) results.push(await engine.step(batch, options));
    await engine.syncToModel();
    const state = engine.optimizerState();
    const slots = await tensorsByKey(state.slots);
    tf.dispose(Object.values(state.slots));
    return { results, weights: await weightsByKey(model), slots, steps: engine.optimizerSteps };
  } finally {
    engine.dispose();
  }
}

/**
 * Adam's first steps divide the moment by its square root: a gradient within a few hundred epsilons
 * of zero (a conv bias in front of BatchNorm is mathematically zero: float noise on both sides)
 * moves its weight by up to ±lr with a relative error the gradient's own float error amplified.
 * Those elements (|m| < 1e-6) are checked through their moments, every other one through its value.
 */
export function compareTraces(onnx: Trace, tfjs: Trace, model: tf.LayersModel, start: Map<string, Float32Array>, atol = 1e-4) {
  expect(onnx.steps).toBe(tfjs.steps);
  onnx.results.forEach((r, i) => {
    const t = tfjs.results[i];
    expect(r.finite).toBe(true);
    expect(r.count).toBe(t.count);
    expect(r.correct).toBe(t.correct);
    expect(r.topKCorrect).toBe(t.topKCorrect);
    expect(r.loss).toBeCloseTo(t.loss, 4);
    expect(Math.abs(r.gradNorm - t.gradNorm)).toBeLessThanOrEqual(1e-4 * t.gradNorm);
  });
  // floor: a zero gradient (a bias in front of BatchNorm) is ~1e-9 of float noise on either side.
  for (const [key, expected] of tfjs.slots) expectClose(`slot ${key}`, onnx.slots.get(key), expected, { rtol: 1e-3, atol, floor: 1e-8 });
  for (const w of model.weights) {
    const key = w.originalName;
    const m = tfjs.slots.get(`${key}/m`);
    const noise = m && ((i: number) => Math.abs(m[i]) < 1e-6);
    expectClose(`weight ${key}`, onnx.weights.get(key), tfjs.weights.get(key)!, { rtol: 1e-4, atol }, noise);
    // The step moved something: the comparison is not of two untouched copies.
    if (w.trainable && key.endsWith('kernel')) expect(onnx.weights.get(key)).not.toEqual(start.get(key));
  }
}

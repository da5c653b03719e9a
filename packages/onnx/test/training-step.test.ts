import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeOnnxModel } from '../src/proto/onnx-codec';
import { buildTrainingGraph, type TrainingGraph, type TrainingGraphOptions } from '../src/training';
import { buildMiniResNet } from './helpers';
import { referenceOptimizerStep, type ReferenceStepOptions } from './reference-optimizers';
import { gradientErrors, l2Norm, normRelativeError, referenceGradients, restoreWeights, runTrainingGraph, seededBatch, snapshotWeights, type StepBatch } from './training-helpers';

// Whole steps: the graph's new weights, BatchNorm statistics and slots against the trainer's step
// reproduced on tfjs cpu (forward, BN statistics, gradients within 1e-4) and in float64 (the
// optimizer). The float64 optimizer runs on the graph's own raw gradients: adam, rmsprop and lion
// are scale-invariant per element, so a gradient element near zero (a conv bias before BatchNorm
// is all rounding noise) would otherwise turn float32 rounding into full steps of random sign.
const CLASSES = 5;

interface StepCase {
  optimizer: TrainingGraphOptions['optimizer'];
  weightDecay: number;
  clipNorm: number;
  lrScales?: Record<string, number>;
}

/** Runs `steps` steps on both sides, feeding each side's outputs back; compares after every step. */
async function expectStepsMatch(model: tf.LayersModel, c: StepCase, steps: number): Promise<void> {
  const loss = { labelSmoothing: 0.1, fromLogits: false };
  const graph = buildTrainingGraph(model, { optimizer: c.optimizer, ...loss, clipNorm: c.clipNorm, topK: 2, lrScales: c.lrScales, outputGradients: true });
  const start = snapshotWeights(model);
  let onnxWeights = snapshotWeights(model);
  let onnxSlots = new Map<string, Float32Array>();
  let referenceSlots = new Map<string, Float32Array>();
  try {
    for (let step = 1; step <= steps; step++) {
      const batch = seededBatch(3, 32, CLASSES, step);
      const scalars = { lr: 0.01, step, weightDecay: c.weightDecay };
      const results = await runTrainingGraph(graph, model, batch, scalars, onnxSlots, onnxWeights);
      const graphGradients = new Map(graph.gradients!.map((g) => [g.key, results.get(g.output)!]));
      const reference = referenceStepOnTfjs(model, batch, { ...c, ...scalars, lrScales: c.lrScales ?? {} }, referenceSlots, loss, graphGradients);
      for (const { key, error } of gradientErrors(results, graph.gradients!, reference.tfjsGradients)) expect(error, `step ${step}: gradient of ${key}`).toBeLessThan(1e-4);
      expect(results.get(graph.outputs.gradNorm)![0]).toBeCloseTo(reference.gradNorm, 4);
      for (const weight of graph.weights) {
        if (!weight.output) continue;
        // Relative to the weight before the step too: lion's steps of +-lr can bring a bias to
        // exactly 0 in float32, where the float64 reference keeps a 1e-10 remainder.
        const scale = l2Norm(onnxWeights.get(weight.key)!);
        expect(normRelativeError(results.get(weight.output)!, reference.weights.get(weight.key)!, scale), `step ${step}: ${weight.key}`).toBeLessThan(1e-5);
      }
      expect(graph.slots.map((s) => s.key).sort()).toEqual([...reference.slots.keys()].sort());
      for (const slot of graph.slots) {
        expect(normRelativeError(results.get(slot.output)!, reference.slots.get(slot.key)!, 1e-9), `step ${step}: ${slot.key}`).toBeLessThan(1e-4);
      }
      onnxWeights = nextWeights(graph, results, onnxWeights);
      onnxSlots = new Map(graph.slots.map((s) => [s.key, results.get(s.output)!]));
      referenceSlots = reference.slots;
    }
  } finally {
    restoreWeights(model, start);
  }
}

function nextWeights(graph: TrainingGraph, results: Map<string, Float32Array>, current: Map<string, Float32Array>): Map<string, Float32Array> {
  return new Map(graph.weights.map((w) => [w.key, w.output ? results.get(w.output)! : current.get(w.key)!]));
}

/**
 * One trainer step: forward, BN statistics and gradients on tfjs cpu (the moving statistics are
 * left in the model), the optimizer in float64 on `gradients`; leaves the new weights in the model.
 */
function referenceStepOnTfjs(
  model: tf.LayersModel,
  batch: StepBatch,
  o: ReferenceStepOptions,
  slots: Map<string, Float32Array>,
  loss: { labelSmoothing: number; fromLogits: boolean },
  gradients: ReadonlyMap<string, Float32Array>,
): { weights: Map<string, Float32Array>; slots: Map<string, Float32Array>; gradNorm: number; tfjsGradients: Map<string, Float32Array> } {
  const { gradients: tfjsGradients } = referenceGradients(model, batch, loss);
  const values = snapshotWeights(model);
  const params = model.trainableWeights.map((w) => ({ key: w.originalName, shape: [...w.shape] as number[], value: values.get(w.originalName)!, grad: gradients.get(w.originalName)! }));
  const step = referenceOptimizerStep(params, slots, o);
  for (const [key, value] of step.weights) values.set(key, Float32Array.from(value));
  restoreWeights(model, values);
  return { weights: values, slots: new Map([...step.slots].map(([k, v]) => [k, Float32Array.from(v)])), gradNorm: step.gradNorm, tfjsGradients };
}

describe('buildTrainingGraph: whole steps equal the trainer step', () => {
  beforeAll(() => tf.setBackend('cpu'));

  it('adam (AdamW: weight decay 0.05), clipnorm, lrScales, label smoothing: two steps, weights, BN statistics and slots', async () => {
    const model = buildMiniResNet({ inputSize: 32, classes: CLASSES });
    try {
      await expectStepsMatch(model, { optimizer: { type: 'adam' }, weightDecay: 0.05, clipNorm: 0.5, lrScales: { 'conv1_conv/kernel': 0.1, 'conv1_bn/gamma': 0.5 } }, 2);
    } finally {
      model.dispose();
    }
  });

  it.each([
    { type: 'sgd', momentum: 0.9, nesterov: true },
    { type: 'sgd' },
    { type: 'rmsprop', momentum: 0.5, rho: 0.8 },
    { type: 'lion' },
    { type: 'lamb' },
  ])('%j with weight decay: two steps', async (optimizer) => {
    const model = buildMiniResNet({ inputSize: 32, classes: CLASSES });
    try {
      await expectStepsMatch(model, { optimizer, weightDecay: 0.01, clipNorm: 0 }, 2);
    } finally {
      model.dispose();
    }
  });

  it('frozen layers: no output (the engine keeps them bit-identical), BN in inference mode, the rest trains as tfjs', async () => {
    const model = buildMiniResNet({ inputSize: 32, classes: CLASSES });
    try {
      for (const name of ['conv1_conv', 'conv1_bn', 'block1_0_conv', 'block1_0_bn']) model.getLayer(name).trainable = false;
      const frozenKeys = ['conv1_conv', 'conv1_bn', 'block1_0_conv', 'block1_0_bn'].flatMap((n) => model.getLayer(n).weights.map((w) => w.originalName));
      const graph = buildTrainingGraph(model, { optimizer: { type: 'adam' }, labelSmoothing: 0, fromLogits: false, clipNorm: 0, topK: 1, outputGradients: true });
      for (const weight of graph.weights) {
        const frozen = frozenKeys.includes(weight.key);
        expect(weight.output === undefined, weight.key).toBe(frozen);
        if (frozen) expect(weight.trainable).toBe(false);
      }
      expect(graph.slots.some((s) => frozenKeys.some((k) => s.key.startsWith(`${k}/`)))).toBe(false);
      const batch = seededBatch(3, 32, CLASSES, 9);
      const results = await runTrainingGraph(graph, model, batch, { lr: 0.01, step: 1, weightDecay: 0 });
      const before = snapshotWeights(model);
      const reference = referenceGradients(model, batch, { labelSmoothing: 0, fromLogits: false });
      const after = snapshotWeights(model);
      restoreWeights(model, before);
      for (const key of frozenKeys) expect(after.get(key), `tfjs keeps ${key}`).toEqual(before.get(key));
      for (const { key, error } of gradientErrors(results, graph.gradients!, reference.gradients)) expect(error, key).toBeLessThan(1e-4);
      // Nothing is computed for the frozen stem: no input gradient of the first trained conv either.
      const nodes = decodeOnnxModel(graph.bytes).graph.node.map((n) => n.name);
      expect(nodes.some((n) => n.startsWith('conv1_conv/') && n.includes('grad'))).toBe(false);
      expect(nodes.some((n) => n.startsWith('block1_1_conv/input_grad'))).toBe(false);
    } finally {
      model.dispose();
    }
  });

  it('skips the input gradient of the first conv', () => {
    const model = buildMiniResNet({ inputSize: 32, classes: CLASSES });
    const graph = buildTrainingGraph(model, { optimizer: { type: 'adam' }, labelSmoothing: 0, fromLogits: false, clipNorm: 0, topK: 1 });
    const nodes = decodeOnnxModel(graph.bytes).graph.node;
    expect(nodes.some((n) => n.name.startsWith('conv1_conv/kernel_grad'))).toBe(true);
    expect(nodes.some((n) => n.name === 'conv1_conv/input_grad' || n.name.startsWith('conv1_pad/input_grad'))).toBe(false);
    const inputGradients = nodes.filter((n) => /_conv\/input_grad$/.test(n.name)).map((n) => n.name.split('/')[0]);
    expect(inputGradients.sort()).toEqual(['block1_0_conv', 'block1_1_conv', 'block1_2_conv', 'block1_3_conv']);
    model.dispose();
  });
});

import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeOnnxModel } from '../src/proto/onnx-codec';
import { buildTrainingGraph, toGraphLayout, toKerasLayout, trainingWeightLayouts } from '../src/training';
import { buildMiniResNet } from './helpers';

// What an engine needs to feed the graph: which weights it holds transposed, the flat slots, and
// which nodes belong to which part of the step.
describe('buildTrainingGraph: layouts and node phases', () => {
  let model: tf.LayersModel;
  beforeAll(async () => {
    await tf.setBackend('cpu');
    model = buildMiniResNet();
  });
  afterAll(() => model.dispose());

  it('holds every Conv2D kernel OIHW and every slot flat; the layout helpers round-trip', () => {
    const graph = buildTrainingGraph(model, { optimizer: { type: 'adam' }, labelSmoothing: 0, fromLogits: false, clipNorm: 0, topK: 1 });
    const layouts = trainingWeightLayouts(model);
    const kernels = model.layers.filter((l) => l.getClassName() === 'Conv2D').map((l) => l.weights[0].originalName);
    expect([...layouts.keys()].sort()).toEqual(kernels.sort());
    for (const weight of graph.weights) {
      const [kh, kw, i, o] = weight.shape;
      if (kernels.includes(weight.key)) expect(weight.inputShape).toEqual([o, i, kh, kw]);
      else expect(weight.inputShape).toEqual(weight.shape);
    }
    for (const slot of graph.slots) expect(slot.inputShape).toEqual([slot.shape.reduce((a, b) => a * b, 1)]);

    const shape = [2, 3, 4, 5];
    const values = Float32Array.from({ length: 120 }, (_, k) => k);
    const layout = { perm: [3, 2, 0, 1], shape: [5, 4, 2, 3] };
    const oihw = toGraphLayout(values, shape, layout);
    // keras [ky=1, kx=2, in=3, out=4] is OIHW [4, 3, 1, 2].
    expect(oihw[((4 * 4 + 3) * 2 + 1) * 3 + 2]).toBe(values[((1 * 3 + 2) * 4 + 3) * 5 + 4]);
    expect(toKerasLayout(oihw, shape, layout)).toEqual(values);
    expect(toGraphLayout(values, shape, undefined)).toBe(values);
  });

  it('the layout transposes equal tf.transpose on kernel shapes larger than their tiles', () => {
    // HWIO -> OIHW and back (the engines' two directions), and an identity-inner permutation.
    const cases: [shape: number[], perm: number[]][] = [
      [[3, 3, 70, 130], [3, 2, 0, 1]],
      [[1, 1, 200, 67], [3, 2, 0, 1]],
      [[7, 7, 3, 65], [2, 3, 1, 0]],
      [[5, 4, 3, 66], [1, 0, 2, 3]],
    ];
    for (const [shape, perm] of cases) {
      const size = shape.reduce((a, b) => a * b, 1);
      const values = Float32Array.from({ length: size }, (_, k) => k);
      const expected = tf.tidy(() => tf.transpose(tf.tensor(values, shape), perm).dataSync());
      const layout = { perm, shape: perm.map((axis) => shape[axis]) };
      const moved = toGraphLayout(values, shape, layout);
      expect(moved).toEqual(expected);
      expect(toKerasLayout(moved, shape, layout)).toEqual(values);
    }
  });

  it('nodePhases splits the nodes in order: forward, loss, backward, optimizer', () => {
    const graph = buildTrainingGraph(model, { optimizer: { type: 'adam' }, labelSmoothing: 0, fromLogits: false, clipNorm: 0, topK: 1 });
    const nodes = decodeOnnxModel(graph.bytes).graph.node;
    const { forward, loss, backward, optimizer } = graph.nodePhases;
    expect(forward + loss + backward + optimizer).toBe(nodes.length);
    const names = (from: number, count: number) => nodes.slice(from, from + count).map((n) => n.name);
    expect(names(0, forward).some((n) => n.includes('grad'))).toBe(false);
    expect(names(forward + loss, backward).every((n) => !n.startsWith('new/'))).toBe(true);
    expect(names(forward + loss, backward).filter((n) => n.endsWith('/kernel_grad')).length).toBe(graph.weights.filter((w) => w.key.endsWith('kernel') && w.trainable).length);
    expect(names(forward + loss + backward, optimizer).filter((n) => n.startsWith('new/')).length).toBe(model.trainableWeights.length);
  });
});

import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { seededValues } from '../../../test-support/seeded-values';
import { exportOnnx } from '../src/export-onnx';
import { decodeOnnxModel } from '../src/proto/onnx-codec';
import { createInferenceSession } from '../src/node/session';
import { loadOnnxRuntime } from '../src/node/onnxruntime';
import { verifyOnnx } from '../src/node/verify';
import { buildMiniResNet, randomizeBatchNorms, useFastBackend } from './helpers';

async function runOnnx(bytes: Uint8Array, data: Float32Array, dims: number[]): Promise<Float32Array> {
  const ort = await loadOnnxRuntime();
  const session = await createInferenceSession(bytes);
  try {
    const results = await session.run({ [session.inputNames[0]]: new ort.Tensor('float32', data, dims) });
    return results[session.outputNames[0]].data as Float32Array;
  } finally {
    await session.release();
  }
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i] - b[i]));
  return max;
}

describe('batch-norm folding', () => {
  let model: tf.LayersModel;
  beforeAll(async () => {
    await useFastBackend();
    model = buildMiniResNet({ activation: 'linear' });
  });

  it('removes every BatchNormalization that follows a conv and gives the unfolded outputs', async () => {
    const unfolded = exportOnnx(model);
    const folded = exportOnnx(model, { foldBatchNorm: true });
    const opsOf = (bytes: Uint8Array) => decodeOnnxModel(bytes).graph.node.map((n) => n.opType);
    expect(opsOf(unfolded).filter((op) => op === 'BatchNormalization')).toHaveLength(5);
    expect(opsOf(folded)).not.toContain('BatchNormalization');

    const input = seededValues(2 * 32 * 32 * 3, 11, -1, 1);
    const a = await runOnnx(unfolded, input, [2, 32, 32, 3]);
    const b = await runOnnx(folded, input, [2, 32, 32, 3]);
    // Logits (linear classifier), the stricter comparison: folding only reassociates float math.
    expect(maxAbsDiff(a, b)).toBeLessThanOrEqual(1e-4 * Math.max(1, ...Array.from(a, Math.abs)));
    const check = await verifyOnnx(model, folded);
    expect(check.passed).toBe(true);
  });

  it('folds a BatchNormalization after a Dense layer', async () => {
    const dense = tf.sequential({
      layers: [
        tf.layers.dense({ inputShape: [6], units: 5, name: 'fc' }),
        tf.layers.batchNormalization({ name: 'fc_bn' }),
        tf.layers.activation({ activation: 'relu', name: 'fc_relu' }),
        tf.layers.dense({ units: 3, activation: 'softmax', name: 'out' }),
      ],
    });
    randomizeBatchNorms(dense, 3);
    const folded = exportOnnx(dense, { foldBatchNorm: true });
    expect(decodeOnnxModel(folded).graph.node.map((n) => n.opType)).toEqual(['Gemm', 'Relu', 'Gemm', 'Softmax']);
    expect((await verifyOnnx(dense, folded)).maxAbsDiff).toBeLessThanOrEqual(1e-6);
  });

  it('keeps a BatchNormalization whose conv output is also read elsewhere', async () => {
    const input = tf.input({ shape: [8, 8, 2] });
    const conv = tf.layers.conv2d({ filters: 3, kernelSize: 3, padding: 'same', name: 'shared_conv' }).apply(input) as tf.SymbolicTensor;
    const bn = tf.layers.batchNormalization({ name: 'bn' }).apply(conv) as tf.SymbolicTensor;
    const sum = tf.layers.add({ name: 'sum' }).apply([conv, bn]) as tf.SymbolicTensor;
    const branching = tf.model({ inputs: input, outputs: sum });
    const ops = decodeOnnxModel(exportOnnx(branching, { foldBatchNorm: true })).graph.node.map((n) => n.opType);
    expect(ops).toContain('BatchNormalization');
    expect((await verifyOnnx(branching, exportOnnx(branching, { foldBatchNorm: true }))).passed).toBe(true);
  });
});

describe('layouts', () => {
  beforeAll(useFastBackend);

  it('takes NCHW input with layout nchw and gives the same softmax as tfjs', async () => {
    const model = buildMiniResNet();
    const bytes = exportOnnx(model, { layout: 'nchw' });
    const decoded = decodeOnnxModel(bytes);
    expect(decoded.graph.input[0].type.tensorType.shape.dim).toEqual([{ dimParam: 'batch' }, { dimValue: 3 }, { dimValue: 32 }, { dimValue: 32 }]);
    expect(decoded.graph.node[0].opType).not.toBe('Transpose');
    const check = await verifyOnnx(model, bytes, { batchSize: 2 });
    expect(check.maxAbsDiff).toBeLessThanOrEqual(1e-5);
  });

  it('returns feature maps (no top) in the input layout: NHWC by default, NCHW with layout nchw', async () => {
    const input = tf.input({ shape: [12, 12, 3], name: 'image' });
    const x = tf.layers.conv2d({ filters: 4, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu', name: 'features' }).apply(input) as tf.SymbolicTensor;
    const model = tf.model({ inputs: input, outputs: x });
    const nhwc = exportOnnx(model);
    expect((await verifyOnnx(model, nhwc)).outputShapes).toEqual([[2, 6, 6, 4]]);
    expect(decodeOnnxModel(nhwc).graph.output[0].name).toBe('features');
    const nchw = exportOnnx(model, { layout: 'nchw' });
    const data = seededValues(3 * 12 * 12, 5, 0, 1);
    const out = await runOnnx(nchw, data, [1, 3, 12, 12]);
    expect(out).toHaveLength(4 * 6 * 6);
    const expected = tf.tidy(() => {
      const nhwcInput = tf.tensor(data, [1, 3, 12, 12]).transpose([0, 2, 3, 1]);
      return (model.predict(nhwcInput) as tf.Tensor).transpose([0, 3, 1, 2]).dataSync();
    });
    expect(maxAbsDiff(out, expected)).toBeLessThanOrEqual(1e-5);
  });
});

describe('layer coverage', () => {
  beforeAll(useFastBackend);

  it('exports a Sequential model with same-padded strided convs, average pooling, Flatten, ReLU6 and Dropout', async () => {
    const model = tf.sequential({
      layers: [
        tf.layers.conv2d({ inputShape: [10, 10, 3], filters: 4, kernelSize: 3, strides: 2, padding: 'same', name: 'c1' }),
        tf.layers.reLU({ maxValue: 6, name: 'relu6' }),
        tf.layers.averagePooling2d({ poolSize: 3, strides: 2, padding: 'same', name: 'avg' }),
        tf.layers.maxPooling2d({ poolSize: 2, strides: 1, padding: 'same', name: 'max' }),
        tf.layers.conv2d({ filters: 3, kernelSize: 2, dilationRate: 1, activation: 'tanh', name: 'c2' }),
        tf.layers.flatten({ name: 'flat' }),
        tf.layers.dropout({ rate: 0.5, name: 'drop' }),
        tf.layers.dense({ units: 4, activation: 'sigmoid', name: 'out' }),
      ],
    });
    const check = await verifyOnnx(model, exportOnnx(model), { inputRange: [-3, 3] });
    expect(check.outputShapes).toEqual([[2, 4]]);
    expect(check.maxAbsDiff).toBeLessThanOrEqual(1e-5);
  });

  it('keeps zero padding before a max pool exact on negative values under onnxruntime optimizations', async () => {
    // ResNet v2 stems max-pool raw conv outputs; onnxruntime must not turn the zeros into -inf padding.
    const model = tf.sequential({
      layers: [
        tf.layers.zeroPadding2d({ inputShape: [6, 6, 2], padding: 1, name: 'pad' }),
        tf.layers.maxPooling2d({ poolSize: 3, strides: 2, name: 'pool' }),
      ],
    });
    const check = await verifyOnnx(model, exportOnnx(model), { inputRange: [-2, -1], graphOptimizationLevel: 'all' });
    expect(check.maxAbsDiff).toBe(0);
  });

  it('exports global max pooling with a linear classifier and a Softmax layer', async () => {
    const model = buildMiniResNet({ pooling: 'max', activation: 'linear' });
    const logitsCheck = await verifyOnnx(model, exportOnnx(model));
    expect(logitsCheck.passed).toBe(true);
    const flat = tf.model({ inputs: model.inputs, outputs: tf.layers.softmax({ name: 'probs' }).apply(model.outputs[0]) as tf.SymbolicTensor });
    expect((await verifyOnnx(flat, exportOnnx(flat))).maxAbsDiff).toBeLessThanOrEqual(1e-5);
  });
});

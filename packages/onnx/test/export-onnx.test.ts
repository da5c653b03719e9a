import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { exportOnnx } from '../src/export-onnx';
import { decodeOnnxModel } from '../src/proto/onnx-codec';
import { verifyOnnx } from '../src/node/verify';
import { buildMiniResNet, useFastBackend } from './helpers';

describe('exportOnnx', () => {
  let model: tf.LayersModel;
  beforeAll(async () => {
    await useFastBackend();
    model = buildMiniResNet();
  });

  it('matches the tfjs model on random inputs within 1e-5 (NHWC input)', async () => {
    const before = tf.memory().numTensors;
    const bytes = exportOnnx(model);
    const result = await verifyOnnx(model, bytes, { batchSize: 3 });
    expect(result.outputShapes).toEqual([[3, 5]]);
    expect(result.maxAbsDiff).toBeLessThanOrEqual(1e-5);
    expect(result.passed).toBe(true);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('writes opset 17, a dynamic batch and the Transpose-first NHWC graph', () => {
    const decoded = decodeOnnxModel(exportOnnx(model));
    expect(decoded.opsetImport.map((o) => o.version)).toEqual([17]);
    const input = decoded.graph.input[0];
    expect(input.name).toBe('input_1');
    expect(input.type.tensorType.shape.dim).toEqual([{ dimParam: 'batch' }, { dimValue: 32 }, { dimValue: 32 }, { dimValue: 3 }]);
    expect(decoded.graph.output[0].name).toBe('predictions');
    expect(decoded.graph.node[0].opType).toBe('Transpose');
    const ops = new Set(decoded.graph.node.map((n) => n.opType));
    for (const op of ['Pad', 'Conv', 'BatchNormalization', 'Relu', 'MaxPool', 'Add', 'GlobalAveragePool', 'Flatten', 'Gemm', 'Softmax']) {
      expect(ops).toContain(op);
    }
  });
});

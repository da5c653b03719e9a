import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { exportOnnxFile } from '@resnet-ts/onnx/node';
import { writeModelCard } from '@resnet-ts/zoo';
import { describe, expect, it } from 'vitest';
import { onnxPredictor } from '../src/node/onnx-predictor';
import { tfjsPredictor } from '../src/tfjs-predictor';
import { expectSameRanking, SIZE, seededImages, tinyCard, tinyClassifier, useCpuAndTempDir } from './helpers';

const temp = useCpuAndTempDir('resnet-inference-engines-');
const classNames = ['ant', 'bee', 'cat', 'dog'];

describe('the same top-k from tfjs and onnxruntime', () => {
  it.each(['softmax', 'linear'] as const)('for a model exported in memory (%s head: probabilities either way)', async (activation) => {
    const model = tinyClassifier({ activation });
    writeModelCard(model, tinyCard(classNames));
    const images = seededImages(5, 4);
    const tfjs = tfjsPredictor(model);
    const onnx = await onnxPredictor(model, { threads: 1 });
    try {
      expect(await onnx.ready()).toBe('onnx');
      expect(onnx.input).toEqual(tfjs.input);
      expect(onnx.classNames).toEqual(classNames);
      const [fromTfjs, fromOnnx] = [await tfjs.classify(images, { topK: 3 }), await onnx.classify(images, { topK: 3 })];
      expectSameRanking(fromOnnx, fromTfjs);
    } finally {
      await onnx.dispose();
      model.dispose();
    }
  });

  it('for an .onnx file, whose model card gives the input size, normalization and class names', async () => {
    const model = tinyClassifier();
    const card = tinyCard(['x', 'y', 'z', 'w'], 'torch');
    const file = path.join(temp.dir(), 'tiny.onnx');
    await exportOnnxFile(model, file, { foldBatchNorm: true, metadata: { card } });
    const predictor = await onnxPredictor(file, { threads: 1 });
    try {
      expect(predictor.input).toEqual({ size: [SIZE, SIZE, 3], normalization: 'torch' });
      expect(predictor.card).toEqual(card);
      expect(predictor.cardNotice).toBeUndefined();
      expect(predictor.classNames).toEqual(['x', 'y', 'z', 'w']);
      const images = seededImages(2, 3);
      const onnx = await predictor.classify(images, { topK: 2 });
      const reference = await tfjsPredictor(model, { card }).classify(images, { topK: 2 });
      expectSameRanking(onnx, reference);
    } finally {
      await predictor.dispose();
      model.dispose();
    }
  });

  it('labels a tfjs model run on onnxruntime with the given class names', async () => {
    const model = tinyClassifier({ classes: 3 });
    const predictor = await onnxPredictor(model, { threads: 1, classNames: ['a', 'b', 'c'] });
    try {
      const [top] = await predictor.classify(new Float32Array(SIZE * SIZE * 3), { topK: 3 });
      expect(top.map((s) => s.className).sort()).toEqual(['a', 'b', 'c']);
    } finally {
      await predictor.dispose();
    }
    // The tfjs model stays the caller's: it still runs once the predictor is gone.
    expect(() => tf.tidy(() => model.predict(tf.zeros([1, SIZE, SIZE, 3])))).not.toThrow();
    model.dispose();
  });
});

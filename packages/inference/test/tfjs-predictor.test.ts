import * as tf from '@tensorflow/tfjs';
import { writeModelCard } from '@resnet-ts/zoo';
import { describe, expect, it } from 'vitest';
import { tfjsPredictor } from '../src/tfjs-predictor';
import { SIZE, seededImages, tinyCard, tinyClassifier, useCpuAndTempDir } from './helpers';

useCpuAndTempDir('resnet-inference-tfjs-');

describe('tfjsPredictor', () => {
  it("takes input size, normalization and class names from the model card, and ranks every image of a batch", async () => {
    const model = tinyClassifier();
    writeModelCard(model, tinyCard(['ant', 'bee', 'cat', 'dog']));
    const predictor = tfjsPredictor(model);
    expect(predictor.input).toEqual({ size: [SIZE, SIZE, 3], normalization: 'tf' });
    expect(predictor.classNames).toEqual(['ant', 'bee', 'cat', 'dog']);
    expect(predictor.cardNotice).toBeUndefined();
    expect(await predictor.ready()).toBe('tfjs');
    const before = tf.memory().numTensors;
    const ranked = await predictor.classify(seededImages(3, 1), { topK: 2 });
    expect(tf.memory().numTensors).toBe(before);
    expect(ranked).toHaveLength(3);
    for (const top of ranked) {
      expect(top).toHaveLength(2);
      expect(top[0].probability).toBeGreaterThanOrEqual(top[1].probability);
      expect(top[0].className).toBe(predictor.classNames![top[0].index]);
    }
    await predictor.dispose();
    model.dispose();
  });

  it('ranks a tensor (NHWC batch or one HWC image) as it ranks the same pixels in an array, leaving the tensor to the caller', async () => {
    const model = tinyClassifier();
    const predictor = tfjsPredictor(model);
    const pixels = seededImages(2, 2);
    const batch = tf.tensor4d(pixels, [2, SIZE, SIZE, 3]);
    const image = tf.tensor3d(pixels.slice(0, SIZE * SIZE * 3), [SIZE, SIZE, 3]);
    const before = tf.memory().numTensors;
    const fromArray = await predictor.classify(pixels);
    expect(await predictor.classify(batch)).toEqual(fromArray);
    expect(await predictor.classify(image)).toEqual(fromArray.slice(0, 1));
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([batch, image]);
    model.dispose();
  });

  it("lets the caller's normalization and class names win over the card's", () => {
    const model = tinyClassifier();
    writeModelCard(model, tinyCard(['ant', 'bee', 'cat', 'dog']));
    const predictor = tfjsPredictor(model, { normalization: 'unit', classNames: ['a', 'b', 'c', 'd'] });
    expect(predictor.input.normalization).toBe('unit');
    expect(predictor.classNames).toEqual(['a', 'b', 'c', 'd']);
    model.dispose();
  });

  it('disposes the model only when asked to', async () => {
    const kept = tinyClassifier();
    await tfjsPredictor(kept).dispose();
    expect(() => tf.tidy(() => kept.predict(tf.zeros([1, SIZE, SIZE, 3])))).not.toThrow();
    kept.dispose();
    const before = tf.memory().numTensors;
    const owned = tinyClassifier();
    await tfjsPredictor(owned, { disposeModel: true }).dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('refuses class names that do not name every output, and pixels that are not whole images', async () => {
    const model = tinyClassifier();
    expect(() => tfjsPredictor(model, { classNames: ['a'] })).toThrow('class names: 1 given for a model with 4 outputs (one name per output)');
    await expect(tfjsPredictor(model).classify(new Float32Array(10))).rejects.toThrow(`classify: 10 values are not a whole number of ${SIZE}x${SIZE}x3 images`);
    model.dispose();
  });

  it('refuses a card whose input size the model does not take', () => {
    const model = tinyClassifier();
    expect(() => tfjsPredictor(model, { card: { ...tinyCard(['a', 'b', 'c', 'd']), inputSize: [32, 32, 3] } })).toThrow(
      `model card: inputSize [32,32,3], but the model takes images [${SIZE},${SIZE},3]`,
    );
    model.dispose();
  });
});

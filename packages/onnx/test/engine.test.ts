import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seededValues } from '../../../test-support/seeded-values';
import { exportOnnx } from '../src/export-onnx';
import { topKClasses } from '@resnet-ts/zoo';
import { OnnxEngine } from '../src/node/engine';
import { exportOnnxFile, OnnxVerificationError } from '../src/node/export-file';
import { buildMiniResNet, useFastBackend } from './helpers';

const classNames = ['a', 'b', 'c', 'd', 'e', 'f'];

describe('OnnxEngine', () => {
  let model: tf.LayersModel;
  let dir: string;
  beforeAll(async () => {
    await useFastBackend();
    model = buildMiniResNet({ classes: 6 });
    dir = await mkdtemp(path.join(os.tmpdir(), 'resnet-onnx-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it.each(['nhwc', 'nchw'] as const)('ranks a batch like the tfjs model does (%s file)', async (layout) => {
    const file = path.join(dir, `mini-${layout}.onnx`);
    const written = await exportOnnxFile(model, file, { layout, metadata: { classNames } });
    expect(written.verification?.passed).toBe(true);
    const engine = await OnnxEngine.load(file, { intraOpThreads: 1 });
    try {
      expect(engine.inputSize).toEqual([32, 32, 3]);
      expect(engine.classNames).toEqual(classNames);
      const batch = 4;
      const images = seededValues(batch * 32 * 32 * 3, 3, -2, 2);
      const expected = tf.tidy(() => (model.predict(tf.tensor(images, [batch, 32, 32, 3])) as tf.Tensor).dataSync());
      const ranked = await engine.classify(images, batch, { topK: 3 });
      const reference = topKClasses(expected, batch, { k: 3, classNames });
      expect(ranked.map((row) => row.map((s) => s.className))).toEqual(reference.map((row) => row.map((s) => s.className)));
      ranked.flat().forEach((score, i) => expect(score.probability).toBeCloseTo(reference.flat()[i].probability, 5));
    } finally {
      await engine.dispose();
    }
  });

  it('rejects a batch of the wrong size with the expected count', async () => {
    const engine = await OnnxEngine.load(exportOnnx(model));
    await expect(engine.run(new Float32Array(10), 1)).rejects.toThrow(/expected 1 x 32x32x3 = 3072 values, got 10/);
    await engine.dispose();
  });

  it('writes nothing when verification fails', async () => {
    const file = path.join(dir, 'never.onnx');
    await expect(exportOnnxFile(model, file, { verify: { tolerance: -1 } })).rejects.toThrow(OnnxVerificationError);
    expect((await readdir(dir)).filter((f) => f.startsWith('never'))).toEqual([]);
  });
});

describe('OnnxEngine on a logits head', () => {
  beforeAll(useFastBackend);

  it('ranks softmax probabilities, as the tfjs path does for logits', async () => {
    const model = buildMiniResNet({ classes: 4, activation: 'linear' });
    const bytes = exportOnnx(model);
    const engine = await OnnxEngine.load(bytes, { intraOpThreads: 1 });
    try {
      expect(engine.metadata.outputIsProbabilities).toBe(false);
      const images = seededValues(2 * 32 * 32 * 3, 9, -1, 1);
      const expected = tf.tidy(() => tf.softmax(model.predict(tf.tensor(images, [2, 32, 32, 3])) as tf.Tensor).dataSync());
      const ranked = await engine.classify(images, 2, { topK: 4 });
      expect(ranked.map((row) => row.reduce((sum, s) => sum + s.probability, 0))).toEqual([expect.closeTo(1, 5), expect.closeTo(1, 5)]);
      expect(ranked[1][0].probability).toBeCloseTo(Math.max(...Array.from(expected.slice(4, 8))), 5);
    } finally {
      await engine.dispose();
    }
  });
});

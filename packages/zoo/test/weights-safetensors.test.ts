import * as tf from '@tensorflow/tfjs';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createModel, createPretrainedModel, loadModelWeights, readSafetensors, saveSafetensors, type ResNetOptions } from '../src/index';
import { encodeSafetensors } from '../src/weights/safetensors/encode-safetensors';
import { randomizeWeights } from './models-helpers';

const OPTIONS: ResNetOptions = { inputShape: [32, 32, 3], classes: 5, classifierActivation: null };

async function encode(model: tf.LayersModel): Promise<Uint8Array> {
  let bytes: Uint8Array = new Uint8Array(0);
  await saveSafetensors(model, (b) => {
    bytes = b;
  });
  return bytes;
}

/** Logits of one seeded image (the cpu backend is slow: one 32x32 image through ResNet50 takes seconds). */
function logits(model: tf.LayersModel): Float32Array {
  return tf.tidy(() => (model.predict(tf.randomUniform([1, 32, 32, 3], -2, 2, 'float32', 11)) as tf.Tensor).dataSync() as Float32Array);
}

/** Whether two models hold the same values in every weight (cheap next to a forward pass). */
function sameWeights(a: tf.LayersModel, b: tf.LayersModel): boolean {
  const [wa, wb] = [a.getWeights(), b.getWeights()];
  return wa.length === wb.length && wa.every((w, i) => {
    const [x, y] = [w.dataSync(), wb[i].dataSync()];
    return x.length === y.length && x.every((v, k) => v === y[k]);
  });
}

describe('safetensors weights (torchvision / timm state dicts)', () => {
  let dir: string;
  let resnet50: tf.LayersModel;
  let resnet50Bytes: Uint8Array;
  let resnet50Logits: Float32Array;
  let resnet18: tf.LayersModel;
  let resnet18Bytes: Uint8Array;
  let server: Server;
  let base: string;
  beforeAll(async () => {
    await tf.setBackend('cpu');
    dir = mkdtempSync(join(tmpdir(), 'safetensors-'));
    resnet50 = createModel('resnet50.tv_in1k', OPTIONS);
    randomizeWeights(resnet50, 5);
    resnet50Bytes = await encode(resnet50);
    resnet50Logits = logits(resnet50);
    writeFileSync(join(dir, 'resnet50.safetensors'), resnet50Bytes);
    resnet18 = createModel('resnet18.tv_in1k', OPTIONS);
    randomizeWeights(resnet18, 8);
    resnet18Bytes = await encode(resnet18);
    writeFileSync(join(dir, 'resnet18.safetensors'), resnet18Bytes);
    server = createServer((req, res) => {
      if (req.url === '/resnet18.safetensors') res.end(Buffer.from(resnet18Bytes));
      else res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    resnet50.dispose();
    resnet18.dispose();
    rmSync(dir, { recursive: true, force: true });
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it("writes torchvision's names and layouts: OIHW kernels, [out, in] fc, BN running stats, num_batches_tracked", async () => {
    const file = await readSafetensors(resnet50Bytes);
    expect(file.metadata).toEqual({ format: 'pt' });
    const shapes = Object.fromEntries(file.tensors.map((t) => [t.name, t.shape]));
    expect(shapes['conv1.weight']).toEqual([64, 3, 7, 7]);
    expect(shapes['layer1.0.downsample.0.weight']).toEqual([256, 64, 1, 1]);
    expect(shapes['layer2.0.conv2.weight']).toEqual([128, 128, 3, 3]);
    expect(shapes['layer4.2.bn3.running_var']).toEqual([2048]);
    expect(shapes['fc.weight']).toEqual([5, 2048]);
    expect(shapes['bn1.num_batches_tracked']).toEqual([]);
    // 53 BatchNorms x 5 tensors, 53 convolutions, fc weight and bias: torchvision's resnet50 state dict.
    expect(file.tensors).toHaveLength(53 * 5 + 53 + 2);
    expect(file.tensors.some((t) => t.name.endsWith('conv1.bias'))).toBe(false);

    const kernel = resnet50.getLayer('conv1_conv').getWeights()[0].arraySync() as number[][][][]; // [h, w, in, out]
    const torch = file.float32('conv1.weight'); // [out, in, h, w]
    expect(torch[((10 * 3 + 2) * 7 + 4) * 7 + 1]).toBe(kernel[4][1][2][10]);
    const dense = resnet50.getLayer('predictions').getWeights()[0].arraySync() as number[][]; // [in, out]
    expect(file.float32('fc.weight')[3 * 2048 + 100]).toBe(dense[100][3]);
    const variance = resnet50.getLayer('conv2_block1_0_bn').getWeights()[3].dataSync();
    expect([...file.float32('layer1.0.downsample.1.running_var')]).toEqual([...variance]);
  });

  it('loads a state dict into resnet50.tv_in1k with identical logits and reports every layer', async () => {
    const before = tf.memory().numTensors;
    const model = createModel('resnet50.tv_in1k', { ...OPTIONS, seed: 99 });
    const result = await loadModelWeights(model, join(dir, 'resnet50.safetensors'));
    expect(result.strategy).toBe('name');
    expect(result.layout).toBe('safetensors');
    expect(result.skipped).toEqual([]);
    expect(result.unusedFileLayers).toEqual([]);
    expect(result.loaded).toHaveLength(53 + 53 + 1);
    expect(logits(model)).toEqual(resnet50Logits);
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('loads resnet18.tv_in1k (basic blocks) the same way', async () => {
    const model = createModel('resnet18.tv_in1k', { ...OPTIONS, seed: 1 });
    try {
      const result = await loadModelWeights(model, resnet18Bytes);
      expect(result.loaded).toContain('conv3_block1_0_conv');
      expect(logits(model)).toEqual(logits(resnet18));
    } finally {
      model.dispose();
    }
  });

  it('builds from a path, a URL or the bytes through createPretrainedModel', async () => {
    for (const weights of [join(dir, 'resnet18.safetensors'), `${base}/resnet18.safetensors`, resnet18Bytes]) {
      const model = await createPretrainedModel('resnet18.tv_in1k', { ...OPTIONS, weights });
      expect(sameWeights(model, resnet18)).toBe(true);
      model.dispose();
    }
  });

  it('skips a head with another class count under skipMismatch, and names it otherwise', async () => {
    const model = createModel('resnet18.tv_in1k', { ...OPTIONS, classes: 3, seed: 2 });
    try {
      const head = model.getLayer('predictions').getWeights()[0].dataSync().slice();
      const stemBefore = model.getLayer('conv1_conv').getWeights()[0].dataSync().slice();
      await expect(loadModelWeights(model, resnet18Bytes)).rejects.toThrow(/Layer predictions: expected kernel \[512,3\], file has \[512,5\] \(skipMismatch/);
      expect(model.getLayer('conv1_conv').getWeights()[0].dataSync()).toEqual(stemBefore);
      const skippedByCallback: string[] = [];
      const result = await loadModelWeights(model, resnet18Bytes, { skipMismatch: true, onSkip: (s) => skippedByCallback.push(s.layer) });
      expect(result.skipped).toEqual([{ layer: 'predictions', fileLayer: 'fc', reason: 'expected kernel [512,3], file has [512,5]' }]);
      expect(skippedByCallback).toEqual(['predictions']);
      // 20 convolutions and 20 BatchNorms; the head keeps its own weights.
      expect(result.loaded).toHaveLength(40);
      expect(model.getLayer('predictions').getWeights()[0].dataSync()).toEqual(head);
      const stem = model.getLayer('conv1_conv').getWeights()[0].dataSync();
      expect(stem).toEqual(resnet18.getLayer('conv1_conv').getWeights()[0].dataSync());
    } finally {
      model.dispose();
    }
  });

  it('reports modules it has no layer for and loads a headless model without fc', async () => {
    const file = await readSafetensors(resnet18Bytes);
    const extra = { name: 'layer1.0.se.fc1.weight', dtype: 'F32' as const, shape: [2], bytes: new Uint8Array(8) };
    const tensors = [
      ...file.tensors.filter((t) => t.dtype === 'F32').map((t) => ({ ...t, bytes: new Uint8Array(file.float32(t.name).buffer) })),
      extra,
    ];
    const model = createModel('resnet18.tv_in1k', { inputShape: [32, 32, 3], includeTop: false, pooling: 'avg', seed: 3 });
    try {
      const result = await loadModelWeights(model, encodeSafetensors(tensors));
      expect(result.unusedFileLayers).toEqual(['fc', 'layer1.0.se.fc1']);
      expect(result.skipped).toEqual([]);
    } finally {
      model.dispose();
    }
  });

  it('tells a Keras ResNet (biased convolutions) to use the torchvision variant, changing nothing', async () => {
    const model = createModel('resnet50', OPTIONS);
    try {
      const before = model.getLayer('conv1_conv').getWeights()[0].dataSync().slice();
      await expect(loadModelWeights(model, join(dir, 'resnet50.safetensors'))).rejects.toThrow(
        /resnet50.safetensors: a torchvision\/timm state dict \(bias-free convolutions\) does not fit model resnet50, whose convolutions have biases .*resnet50.tv_in1k/,
      );
      expect(model.getLayer('conv1_conv').getWeights()[0].dataSync()).toEqual(before);
    } finally {
      model.dispose();
    }
  });

  it('names the file and tensor of a state dict that does not fit', async () => {
    const model = createModel('resnet18.tv_in1k', OPTIONS);
    const bad = encodeSafetensors([{ name: 'conv1.weight', dtype: 'F32', shape: [64, 147], bytes: new Uint8Array(64 * 147 * 4) }]);
    const path = join(dir, 'flat.safetensors');
    writeFileSync(path, bad);
    try {
      await expect(loadModelWeights(model, path)).rejects.toThrow(`${path}: tensor "conv1.weight": expected a 4-D convolution weight [out, in, height, width], got shape [64,147]`);
      const keras = encodeSafetensors([{ name: 'conv1_conv/kernel', dtype: 'F32', shape: [1], bytes: new Uint8Array(4) }]);
      await expect(loadModelWeights(model, keras)).rejects.toThrow(/no tensor has a torchvision\/timm ResNet name .*the file has conv1_conv\/kernel/);
      await expect(loadModelWeights(model, path, { matching: 'topology' })).rejects.toThrow(/matching: 'topology' does not apply/);
      const truncated = join(dir, 'truncated.safetensors');
      writeFileSync(truncated, resnet18Bytes.subarray(0, resnet18Bytes.byteLength - 100));
      await expect(loadModelWeights(model, truncated)).rejects.toThrow(/truncated.safetensors: tensor ".*" ends at byte \d+ of the data, which holds only \d+ bytes; the file is truncated/);
    } finally {
      model.dispose();
    }
  });

  it('writes the file atomically and refuses v2 models, which have no torchvision names', async () => {
    const out = join(dir, 'atomic');
    rmSync(out, { recursive: true, force: true });
    mkdirSync(out);
    const result = await saveSafetensors(resnet18, join(out, 'w.safetensors'));
    expect(result).toEqual({ bytes: resnet18Bytes.byteLength, tensors: 20 * 5 + 20 + 2 });
    expect(readdirSync(out)).toEqual(['w.safetensors']);
    const v2 = createModel('resnet50v2', { inputShape: [32, 32, 3], classes: 2 });
    try {
      await expect(saveSafetensors(v2, join(out, 'v2.safetensors'))).rejects.toThrow(/Layer conv2_block1_preact_bn \(BatchNormalization\) has no torchvision name/);
      expect(readdirSync(out)).toEqual(['w.safetensors']);
    } finally {
      v2.dispose();
    }
  });
});

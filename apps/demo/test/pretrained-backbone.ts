/**
 * Fixtures for the "Start from" e2e test, made in Node in a few seconds: a small ResNet at 32x32
 * (the zoo's stem and head around two narrow residual stages) trained briefly on synthetic shapes
 * (circle, square, triangle) so it is really pretrained for a related task, saved as a tfjs folder
 * with its model card; and the few images per class a user would upload (another seed: no image is
 * shared).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { syntheticShapes } from '@resnet-ts/data';
import { initNodeWasmBackend } from '@resnet-ts/kernels/node';
import { encodePng, recalibrateBatchNorm, train } from '@resnet-ts/trainer';
import { buildResNet, encodeModelFiles, type StackFn } from '@resnet-ts/zoo';
import * as tf from '@tensorflow/tfjs';

export const SHAPES = ['circle', 'square', 'triangle'];
const SIZE = 32;

/** One residual block named as the zoo names them (`conv2_block1_...`): two 3x3 convs and a shortcut. */
function residualBlock(x: tf.SymbolicTensor, filters: number, stride: number, name: string, seed: number): tf.SymbolicTensor {
  let k = 0;
  const conv = (y: tf.SymbolicTensor, s: number, suffix: string, kernel = 3) =>
    tf.layers
      .conv2d({ filters, kernelSize: kernel, strides: s, padding: 'same', useBias: false, name: `${name}_${suffix}_conv`, kernelInitializer: tf.initializers.heNormal({ seed: seed * 10 + k++ }) })
      .apply(y) as tf.SymbolicTensor;
  const bn = (y: tf.SymbolicTensor, suffix: string) => tf.layers.batchNormalization({ name: `${name}_${suffix}_bn` }).apply(y) as tf.SymbolicTensor;
  const relu = (y: tf.SymbolicTensor, suffix: string) => tf.layers.activation({ activation: 'relu', name: `${name}_${suffix}` }).apply(y) as tf.SymbolicTensor;
  const shortcut = bn(conv(x, stride, '0', 1), '0');
  let y = relu(bn(conv(x, stride, '1'), '1'), '1_relu');
  y = bn(conv(y, 1, '2'), '2');
  return relu(tf.layers.add({ name: `${name}_add` }).apply([shortcut, y]) as tf.SymbolicTensor, 'out');
}

/** Seeded, like the zoo's own layers, so every run pretrains the same backbone. */
const smallStack: StackFn = (x) => residualBlock(residualBlock(x, 16, 1, 'conv2_block1', 2), 32, 2, 'conv3_block1', 3);

/** The backbone's tfjs folder: model.json (with the model card) and its shard. */
export async function pretrainedBackboneFolder(dir: string, recipe = { count: 512, epochs: 2, batchSize: 32, lr: 0.003 }): Promise<{ steps: number; accuracy: number }> {
  await initNodeWasmBackend({ threads: 2 });
  const model = buildResNet({ stackFn: smallStack, preact: false, useBias: true, modelName: 'small_resnet' }, { inputShape: [SIZE, SIZE, 3], classes: SHAPES.length, seed: 1 });
  const data = syntheticShapes({ classes: SHAPES.length, count: recipe.count, imageSize: SIZE, seed: 1 });
  const result = await train({ model, train: data, epochs: recipe.epochs, batchSize: recipe.batchSize, lr: recipe.lr, seed: 1 });
  // Precise BN: the frozen backbone runs BatchNorm on its moving statistics, which a few dozen
  // steps at Keras's momentum 0.99 leave far from the data's; recomputed, the features are usable.
  await recalibrateBatchNorm(model, data, { batches: 8, batchSize: 32, epoch: 0 });
  await data.dispose();
  const card = {
    format: 'resnet-ts/model-card',
    version: 1,
    architecture: { name: 'small_resnet' },
    inputSize: [SIZE, SIZE, 3],
    classNames: SHAPES,
    preprocessing: { normalization: 'unit', cropPct: 1, interpolation: 'bilinear' },
    weights: { source: 'trained' },
  };
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const { modelJson, shards } = encodeModelFiles({ ...artifacts, userDefinedMetadata: { modelCard: card } });
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, 'model.json'), JSON.stringify(modelJson));
      for (const shard of shards) writeFileSync(join(dir, shard.name), shard.bytes);
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  model.dispose();
  return { steps: result.step, accuracy: result.history.at(-1)?.accuracy ?? 0 };
}

/** `perClass` PNGs of each of `shapes` (of SHAPES), as a user would upload them: `images[c]` are `shapes[c]`'s. */
export async function shapeImages(shapes: readonly string[], perClass: number, seed: number): Promise<Buffer[][]> {
  const data = syntheticShapes({ classes: SHAPES.length, count: perClass * SHAPES.length * 2, imageSize: SIZE, seed, training: false });
  const images: Buffer[][] = SHAPES.map(() => []);
  const wanted = shapes.map((shape) => SHAPES.indexOf(shape));
  for await (const batch of data.batches({ batchSize: 32, shuffle: false, augment: false })) {
    const [pixels, labels] = [await batch.xs.data(), await tf.argMax(batch.ys, -1).data()];
    tf.dispose([batch.xs, batch.ys]);
    for (let i = 0; i < labels.length; i++) {
      const target = images[labels[i]];
      if (target.length >= perClass) continue;
      const rgb = Uint8Array.from(pixels.subarray(i * SIZE * SIZE * 3, (i + 1) * SIZE * SIZE * 3), (v) => Math.round(Math.min(1, Math.max(0, v)) * 255));
      target.push(Buffer.from(encodePng(rgb, SIZE, SIZE, 3, (bytes) => deflateSync(bytes))));
    }
  }
  await data.dispose();
  const picked = wanted.map((c) => images[c]);
  if (picked.some((list) => list?.length !== perClass)) throw new Error(`shapeImages: not ${perClass} images of each of ${shapes.join(', ')} (shapes: ${SHAPES.join(', ')})`);
  return picked;
}

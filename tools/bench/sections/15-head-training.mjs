// Head training with a frozen backbone: ResNet50 64x64 batch 32 on wasm (all threads), the head
// trained by `train()` on cached backbone features (training.transfer.cacheFeatures) vs on images
// through the frozen backbone (uncached), measured in one run and printed as a ratio. Images/s
// count training steps only (the loop's imagesPerSecond); computing the cache is its own row.
//
// Knobs (environment): BENCH_HEAD_EPOCHS (3 epochs of one batch each; the first is a warm-up).
import os from 'node:os';
import * as tf from '@tensorflow/tfjs';
import { arrayDataset } from '@resnet-ts/data';
import { initNodeWasmBackend } from '@resnet-ts/kernels/node';
import { train } from '@resnet-ts/trainer';
import { createModel } from '@resnet-ts/zoo';
import { envInt } from '../lib/env.mjs';

export const name = 'head-training';

const MODEL = 'resnet50';
const SIZE = 64;
const BATCH = 32;
const CLASSES = 6;

function dataset() {
  const pixels = new Uint8Array(BATCH * SIZE * SIZE * 3);
  for (let i = 0; i < pixels.length; i++) pixels[i] = (i * 2654435761) >>> 24;
  const labels = Array.from({ length: BATCH }, (_, i) => i % CLASSES);
  const classNames = Array.from({ length: CLASSES }, (_, i) => `class${i}`);
  return arrayDataset({ images: pixels, shape: [BATCH, SIZE, SIZE, 3], labels, classNames });
}

/** Trains the head for `epochs` one-batch epochs; images/s over the epochs after the first. */
async function headTraining(cacheFeatures, epochs) {
  const model = createModel(MODEL, { inputShape: [SIZE, SIZE, 3], classes: CLASSES });
  let cache;
  try {
    const result = await train({
      model,
      train: dataset(),
      epochs,
      batchSize: BATCH,
      transfer: { freezeBackbone: true, cacheFeatures },
      callbacks: [{ onTrainBegin: (logs) => void (cache = logs.featureCache) }],
    });
    const timed = result.history.slice(1);
    const seconds = timed.reduce((sum, epoch) => sum + BATCH / epoch.imagesPerSecond, 0);
    return { imagesPerS: (timed.length * BATCH) / seconds, cache };
  } finally {
    model.dispose();
    tf.disposeVariables();
  }
}

export async function run(context) {
  const cores = context.cores ?? os.availableParallelism();
  const epochs = Math.max(2, envInt('BENCH_HEAD_EPOCHS', 3));
  const notes = [`load average at start: ${os.loadavg().map((l) => l.toFixed(1)).join(' ')} on ${cores} cores`];
  const { threads } = await initNodeWasmBackend({ threads: Math.min(cores, 8) });
  const where = `${MODEL} ${SIZE}x${SIZE} b${BATCH}, frozen backbone, wasm ${threads} threads`;
  const uncached = await headTraining(false, epochs);
  const cached = await headTraining(true, epochs);
  const rows = [
    { config: `head training on images (uncached), ${where}`, steps: epochs - 1, imagesPerS: Number(uncached.imagesPerS.toFixed(2)) },
    { config: `head training on cached features, ${where}`, steps: epochs - 1, imagesPerS: Number(cached.imagesPerS.toFixed(1)) },
    {
      config: `computing the feature cache (${cached.cache.rows} images x ${cached.cache.featureSize} floats), ${where}`,
      imagesPerS: Number((cached.cache.rows / cached.cache.seconds).toFixed(2)),
    },
  ];
  const ratios = { cachedOverUncachedHeadTraining: Number((cached.imagesPerS / uncached.imagesPerS).toFixed(1)) };
  notes.push(
    'images/s of training steps only (the loop\'s per-epoch imagesPerSecond, first epoch left out as warm-up); ' +
      'a cached run also pays the cache row once, about one uncached epoch\'s forward passes per augmented copy',
    `load average at end: ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`,
  );
  return { rows, ratios, notes };
}

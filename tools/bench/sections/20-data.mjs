// Data pipeline throughput: images/s for decode + resize + augment on SIGNS (64x64) with 1 and 2
// decode workers, then from the on-disk cache of decoded images, plus synthetic shapes.
// Each row is one full pass over the SIGNS training split (864 images), batch 32, batches disposed.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { syntheticShapes } from '@resnet-ts/data';
import { imageFolder } from '@resnet-ts/data/node';

export const name = 'data';

const TARGET_FROM_CACHE = 300; // images/s at 64x64 on 2 cores: 5x the kernels bench's training throughput

async function epochRate(dataset, epoch) {
  const start = performance.now();
  let images = 0;
  for await (const { xs, ys } of dataset.batches({ batchSize: 32, epoch })) {
    images += xs.shape[0];
    tf.dispose([xs, ys]);
  }
  return { images, perSecond: images / ((performance.now() - start) / 1000) };
}

export async function run(context) {
  await tf.ready();
  const rows = [];
  const notes = [];
  const ratios = {};

  const synthetic = syntheticShapes({ count: 512, imageSize: 64, augmentation: true });
  const synth = await epochRate(synthetic, 0);
  rows.push({ source: 'synthetic shapes', stage: 'draw + augment', workers: 0, images: synth.images, imagesPerSecond: Math.round(synth.perSecond) });

  const signs = path.join(context.sharedDir, 'datasets', 'signs');
  if (!fs.existsSync(path.join(signs, 'train'))) {
    notes.push(`SIGNS not found at ${signs}: decode and cache rows skipped`);
    return { rows, notes };
  }
  const options = { imageSize: 64, augmentation: true };
  for (const workers of [1, 2]) {
    const splits = await imageFolder(signs, { ...options, workers });
    const r = await epochRate(splits.train, 0);
    rows.push({ source: 'SIGNS jpg', stage: 'decode + resize + augment', workers, images: r.images, imagesPerSecond: Math.round(r.perSecond) });
    await splits.dispose();
  }
  const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'resnet-ts-bench-cache-'));
  try {
    const splits = await imageFolder(signs, { ...options, workers: 2, cacheDir });
    const fill = await epochRate(splits.train, 0);
    rows.push({ source: 'SIGNS jpg', stage: 'decode + write cache + augment', workers: 2, images: fill.images, imagesPerSecond: Math.round(fill.perSecond) });
    const cached = await epochRate(splits.train, 1);
    rows.push({ source: 'SIGNS cache', stage: 'read cache + augment', workers: 2, images: cached.images, imagesPerSecond: Math.round(cached.perSecond) });
    await splits.dispose();
    ratios.cacheVsTarget = Number((cached.perSecond / TARGET_FROM_CACHE).toFixed(2));
    notes.push(`target: >= ${TARGET_FROM_CACHE} images/s from cache at 64x64 (ratio cacheVsTarget >= 1 meets it)`);
  } finally {
    fs.rmSync(cacheDir, { recursive: true, force: true });
  }
  notes.push(`tfjs backend: ${tf.getBackend()}; cores: ${context.cores}; timings are noisy when the machine is shared`);
  return { rows, ratios, notes };
}

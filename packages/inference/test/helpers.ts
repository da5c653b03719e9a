import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import type { ClassScore, ModelCard } from '@resnet-ts/zoo';
import { afterAll, beforeAll, expect } from 'vitest';

export const SIZE = 16;

export interface TinyClassifierOptions {
  classes?: number;
  /** 'softmax' (probabilities) or 'linear' (a logits head). */
  activation?: 'softmax' | 'linear';
  /** A layer with no ONNX export (LeakyReLU), for the fallback to tfjs. */
  unsupportedLayer?: boolean;
}

/** conv -> relu -> global average pool -> dense, seeded: the same weights in every run. */
export function tinyClassifier({ classes = 4, activation = 'softmax', unsupportedLayer = false }: TinyClassifierOptions = {}): tf.LayersModel {
  return tf.sequential({
    name: 'tiny',
    layers: [
      tf.layers.conv2d({ inputShape: [SIZE, SIZE, 3], filters: 8, kernelSize: 3, padding: 'same', kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }) }),
      unsupportedLayer ? tf.layers.leakyReLU({}) : tf.layers.reLU(),
      tf.layers.globalAveragePooling2d({}),
      tf.layers.dense({ units: classes, activation, kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }), biasInitializer: 'zeros' }),
    ],
  });
}

/** A model card for `tinyClassifier` (what `resnet train` would write, for a model outside the registry). */
export function tinyCard(classNames: string[], normalization: ModelCard['preprocessing']['normalization'] = 'tf'): ModelCard {
  return {
    format: 'resnet-ts/model-card',
    version: 1,
    architecture: { name: 'tiny' },
    inputSize: [SIZE, SIZE, 3],
    classNames,
    preprocessing: { normalization, cropPct: 1, interpolation: 'bilinear' },
    weights: { source: 'random' },
  };
}

/** `count` images of normalized-looking pixels in [-1, 1), from a seed. */
export function seededImages(count: number, seed: number): Float32Array {
  return tf.tidy(() => tf.randomUniform([count, SIZE, SIZE, 3], -1, 1, 'float32', seed).dataSync() as Float32Array);
}

/** The cpu backend (deterministic, starts at once) and a temp folder removed after the file's tests. */
export function useCpuAndTempDir(prefix: string): { dir: () => string } {
  let dir = '';
  beforeAll(async () => {
    await tf.setBackend('cpu');
    dir = mkdtempSync(path.join(tmpdir(), prefix));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return { dir: () => dir };
}

/** Indices and names of ranked rows, for comparing engines (probabilities differ by float rounding). */
export const rankedNames = (rows: { index: number; className: string }[][]) => rows.map((row) => row.map((s) => [s.index, s.className]));

/** Two engines' rankings agree: the same classes in the same order, probabilities to 5 decimals. */
export function expectSameRanking(actual: ClassScore[][], expected: ClassScore[][]): void {
  expect(rankedNames(actual)).toEqual(rankedNames(expected));
  actual.flat().forEach((s, i) => expect(s.probability).toBeCloseTo(expected.flat()[i].probability, 5));
}

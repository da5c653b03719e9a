import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseRecipe, RecipeError } from '../src/index';
import { train } from '../src/train';
import { orderedWeights } from '../src/weights';
import { randomDataset } from './helpers/datasets';
import { tinyResNet, weightsOf } from './helpers/models';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** How far each weight moved in one step, by weight name. */
async function oneStepDeltas(transfer?: { backboneLrScale?: number; freezeBackbone?: boolean }): Promise<Map<string, Float32Array>> {
  const model = tinyResNet(8, 3, 5);
  const before = await weightsOf(model);
  await train({ model, train: randomDataset(8, 3, 8, 4), epochs: 1, batchSize: 8, lr: 0.1, optimizer: { type: 'sgd' }, ...(transfer ? { transfer } : {}) });
  const after = await weightsOf(model);
  const names = orderedWeights(model).map((w) => w.originalName);
  model.dispose();
  return new Map(names.map((name, i) => [name, after[i].map((v, k) => v - before[i][k])]));
}

describe('backboneLrScale', () => {
  it('moves the layers before the head by the scaled learning rate and the head by the full one', async () => {
    const full = await oneStepDeltas();
    const scaled = await oneStepDeltas({ backboneLrScale: 0.25 });
    const ratio = (name: string) => {
      const a = full.get(name)!;
      const b = scaled.get(name)!;
      const k = a.reduce((best, v, i) => (Math.abs(v) > Math.abs(a[best]) ? i : best), 0);
      return b[k] / a[k];
    };
    expect(ratio('conv1_conv/kernel')).toBeCloseTo(0.25, 4);
    expect(ratio('conv3_block1_2_conv/kernel')).toBeCloseTo(0.25, 4);
    expect(ratio('predictions/kernel')).toBeCloseTo(1, 4);
    expect(ratio('predictions/bias')).toBeCloseTo(1, 4);
  });

  it('leaves a frozen backbone bit-identical whatever its scale', async () => {
    const deltas = await oneStepDeltas({ freezeBackbone: true, backboneLrScale: 0.1 });
    for (const [name, delta] of deltas) {
      if (name.startsWith('predictions/')) expect(delta.some((v) => v !== 0)).toBe(true);
      else expect(delta.every((v) => v === 0), name).toBe(true);
    }
  });
});

describe('training.transfer in the recipe', () => {
  const problem = (transfer: unknown) => {
    try {
      parseRecipe({ training: { transfer } });
    } catch (error) {
      expect(error).toBeInstanceOf(RecipeError);
      return (error as Error).message;
    }
    throw new Error('parsed');
  };

  it('keeps backboneLrScale and checks its range', () => {
    expect(parseRecipe({ training: { transfer: { unfreezeFrom: 'conv5_', backboneLrScale: 0.1 } } }).training.transfer).toEqual({ unfreezeFrom: 'conv5_', backboneLrScale: 0.1 });
    expect(problem({ backboneLrScale: 0 })).toMatch(/training\.transfer\.backboneLrScale: .*0/);
    expect(problem({ backboneLrScale: 2 })).toMatch(/training\.transfer\.backboneLrScale: .*1/);
  });

  it('refuses an unfreezeEpoch without unfreezeFrom, or one after which nothing was frozen', () => {
    expect(problem({ unfreezeEpoch: 2 })).toMatch(/training\.transfer\.unfreezeEpoch: needs unfreezeFrom/);
    expect(problem({ unfreezeFrom: 'conv5_', unfreezeEpoch: 2 })).toMatch(/training\.transfer\.unfreezeEpoch: before epoch 2 every layer would train: set freezeBackbone/);
    expect(parseRecipe({ training: { transfer: { unfreezeFrom: 'conv5_', unfreezeEpoch: 0 } } }).training.transfer).toEqual({ unfreezeFrom: 'conv5_', unfreezeEpoch: 0 });
  });
});

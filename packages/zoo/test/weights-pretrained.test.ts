import * as tf from '@tensorflow/tfjs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileIO } from '../src/node/index';
import { createModel } from '../src/registry/registry';
import { createPretrainedModel, loadModelWeights, saveKerasWeights } from '../src/weights/index';

const OPTIONS = { inputShape: [32, 32, 3] as [number, number, number], classes: 5 };

async function sameWeights(a: tf.LayersModel, b: tf.LayersModel): Promise<boolean> {
  const wa = a.getWeights();
  const wb = b.getWeights();
  for (let i = 0; i < wa.length; i += 1) {
    const x = await wa[i].data();
    const y = await wb[i].data();
    if (x.length !== y.length || x.some((v, k) => v !== y[k])) return false;
  }
  return wa.length === wb.length;
}

describe('createPretrainedModel and loadModelWeights', () => {
  let dir: string;
  let source: tf.LayersModel;
  beforeAll(async () => {
    await tf.setBackend('cpu');
    dir = mkdtempSync(join(tmpdir(), 'pretrained-'));
    source = createModel('resnet18', OPTIONS);
    await saveKerasWeights(source, join(dir, 'resnet18.h5'));
    await source.save(fileIO(join(dir, 'resnet18-tfjs')));
  });
  afterAll(() => {
    source.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('builds a variant with the weights of a Keras .h5 file', async () => {
    const model = await createPretrainedModel('resnet18', { ...OPTIONS, weights: join(dir, 'resnet18.h5') });
    expect(await sameWeights(source, model)).toBe(true);
    model.dispose();
  });

  it('builds a variant with the weights of a tfjs model folder', async () => {
    const model = await createPretrainedModel('resnet18', { ...OPTIONS, weights: join(dir, 'resnet18-tfjs') });
    expect(await sameWeights(source, model)).toBe(true);
    model.dispose();
  });

  it('fine-tunes with another head: skipMismatch reports the head', async () => {
    const skipped: string[] = [];
    const model = createModel('resnet18', { ...OPTIONS, classes: 3 });
    const before = tf.memory().numTensors;
    const result = await loadModelWeights(model, join(dir, 'resnet18-tfjs', 'model.json'), { skipMismatch: true, onSkip: (s) => skipped.push(s.layer) });
    expect(tf.memory().numTensors).toBe(before);
    expect(skipped).toEqual(['predictions']);
    expect(result.loaded).toContain('conv1_conv');
    model.dispose();
  });

  it("explains that 'imagenet' weights are passed as a file, which imagenetWeightsFile downloads", async () => {
    await expect(createPretrainedModel('resnet50', { weights: 'imagenet' })).rejects.toThrow(
      /pass the Keras ImageNet \.h5 as a file.*imagenetWeightsFile\("resnet50", \{ includeTop \}\) of '@resnet-ts\/zoo\/node'/,
    );
  });
});

describe("createModel's weights option", () => {
  it('points to createPretrainedModel for a file, and to imagenetWeightsFile for imagenet', () => {
    expect(() => createModel('resnet18', { weights: 'model.h5' })).toThrow(
      'resnet18: weights "model.h5" are not yet supported by createModel, which builds synchronously; load them with await createPretrainedModel("resnet18"',
    );
    expect(() => createModel('resnet50', { weights: 'imagenet' })).toThrow(/weights: await imagenetWeightsFile\("resnet50"\)/);
  });
});

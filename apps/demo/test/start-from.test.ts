import { createModel, saveKerasWeights } from '@resnet-ts/zoo';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { classifierFromStart, disposeStart, loadStart } from '../src/training/start-from';

/** A ResNet18 at 32x32 with a 5-class head, as a Keras .h5 file the user picks. */
async function kerasFile(name: string): Promise<File> {
  const model = createModel('resnet18', { inputShape: [32, 32, 3], classes: 5, seed: 3 });
  let bytes: Uint8Array = new Uint8Array();
  await saveKerasWeights(model, (b) => {
    bytes = b;
  });
  model.dispose();
  return new File([bytes as Uint8Array<ArrayBuffer>], name);
}

describe('"Start from" weights files', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('loads Keras .h5 weights into the architecture, leaves the head out and says so', async () => {
    const start = await loadStart({ kind: 'files', files: [await kerasFile('pretrained.h5')] }, { architecture: 'resnet18', inputSize: 32 });
    try {
      expect(start.report).toMatch(/^Loaded Keras weights from pretrained\.h5 into resnet18 \(32×32\): \d+ layers loaded, skipped predictions \(the head, new for your classes\)/);
      expect(start.normalization).toBe('torch');
      const before = tf.memory().numTensors;
      const { model, card } = await classifierFromStart(start, ['cat', 'dog', 'bird'], { seed: 0 });
      expect(model.outputs[0].shape).toEqual([null, 3]);
      expect(card.classNames).toEqual(['cat', 'dog', 'bird']);
      // The classifier has its own copy of the backbone: same values, other tensors.
      const weight = (m: tf.LayersModel) => m.getLayer('conv1_conv').getWeights()[0];
      expect(weight(model)).not.toBe(weight(start.model));
      expect(Array.from(weight(model).dataSync().slice(0, 8))).toEqual(Array.from(weight(start.model).dataSync().slice(0, 8)));
      model.dispose();
      expect(tf.memory().numTensors).toBe(before);
    } finally {
      disposeStart(start);
    }
  });

  it('gives the new head the same initial weights for the same seed, and others for another seed', async () => {
    const start = await loadStart({ kind: 'files', files: [await kerasFile('seeded.h5')] }, { architecture: 'resnet18', inputSize: 32 });
    try {
      const headKernel = async (seed: number) => {
        const { model } = await classifierFromStart(start, ['cat', 'dog'], { seed });
        const values = Array.from(model.getLayer('predictions').getWeights()[0].dataSync());
        model.dispose();
        return values;
      };
      const first = await headKernel(0);
      expect(await headKernel(0)).toEqual(first);
      expect(await headKernel(1)).not.toEqual(first);
    } finally {
      disposeStart(start);
    }
  });

  it('refuses weights of another network, naming the file and the first layer that does not fit', async () => {
    const file = await kerasFile('resnet18.h5');
    const before = tf.memory().numTensors;
    await expect(loadStart({ kind: 'files', files: [file] }, { architecture: 'resnet34', inputSize: 32 })).rejects.toThrow(
      /^Start from resnet18\.h5: .*layer .*backbone layers? of resnet34 did not load\. Pick the architecture the weights were made for, or another file\./,
    );
    expect(tf.memory().numTensors).toBe(before);
  });
});

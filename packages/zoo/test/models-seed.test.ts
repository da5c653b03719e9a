import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { onBackendWithoutTensorLeaks } from '../../../test-support/tensor-leaks';
import type { ResNetOptions } from '../src/index';
import { withModel } from './models-helpers';

/** The bytes of every weight, by its original name (`conv1_conv/kernel`). */
function weightBytes(model: tf.LayersModel): Map<string, Buffer> {
  return new Map(model.weights.map((w) => {
    const values = w.read().dataSync() as Float32Array;
    return [w.originalName, Buffer.from(values.buffer, values.byteOffset, values.byteLength)];
  }));
}

/** Names of the weights whose bytes differ between two models (vitest's deep equality is far too slow for 11M values). */
function differing(a: Map<string, Buffer>, b: Map<string, Buffer>, names: readonly string[] = [...a.keys()]): string[] {
  return names.filter((name) => !(a.get(name) && b.get(name) && a.get(name)!.equals(b.get(name)!)));
}

const build = (name: string, options: ResNetOptions) => withModel(name, options, weightBytes);
const small: ResNetOptions = { inputShape: [32, 32, 3], classes: 3 };

describe('seeded models', () => {
  onBackendWithoutTensorLeaks('cpu');

  it('builds bit-identical weights twice from the same seed, and other kernels from another seed', async () => {
    const first = await build('resnet18', { ...small, seed: 5 });
    const again = await build('resnet18', { ...small, seed: 5 });
    expect([...again.keys()]).toEqual([...first.keys()]);
    expect(differing(first, again)).toEqual([]);
    const kernels = [...first.keys()].filter((name) => name.endsWith('/kernel'));
    expect(kernels).toHaveLength(21); // 20 convolutions and the classifier
    expect(differing(first, await build('resnet18', { ...small, seed: 6 }), kernels)).toEqual(kernels);
  });

  it('gives a layer weights that depend on its name and shape, not on the layers built before it', async () => {
    // resnet34 builds more blocks than resnet18 before conv3_block1 and before the classifier.
    const shared = ['conv1_conv/kernel', 'conv2_block1_1_conv/kernel', 'conv3_block1_1_conv/kernel', 'predictions/kernel'];
    const resnet18 = await build('resnet18', { ...small, seed: 5 });
    expect(differing(resnet18, await build('resnet34', { ...small, seed: 5 }), shared)).toEqual([]);
  });

  it('zeroes the residual branches of a seeded model and keeps every other weight', async () => {
    const plain = await build('resnet18', { ...small, seed: 5 });
    const zeroed = await build('resnet18', { ...small, seed: 5, zeroInitResidual: true });
    expect(differing(plain, zeroed)).toEqual([2, 3, 4, 5].flatMap((stage) => [1, 2].map((block) => `conv${stage}_block${block}_2_bn/gamma`)));
  });

  it('stays unseeded without a seed', async () => {
    const first = await build('resnet18', small);
    expect(differing(first, await build('resnet18', small), ['conv1_conv/kernel'])).toEqual(['conv1_conv/kernel']);
  });
});

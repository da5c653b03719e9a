import * as tf from '@tensorflow/tfjs';
import { kerasToNotebookName } from '@resnet-ts/blocks';
import h5wasm from 'h5wasm';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createModel } from '../src/registry/registry';
import { loadKerasWeights, readKerasWeights, saveKerasWeights } from '../src/weights/index';
import { encodeKerasWeights } from '../src/weights/save-keras-weights';

const OPTIONS = { inputShape: [32, 32, 3] as [number, number, number], classes: 10 };

async function expectSameWeights(a: tf.LayersModel, b: tf.LayersModel) {
  const wa = a.getWeights();
  const wb = b.getWeights();
  expect(wb.length).toBe(wa.length);
  for (let i = 0; i < wa.length; i += 1) {
    expect(wb[i].shape).toEqual(wa[i].shape);
    expect(Buffer.from((await wb[i].data()).buffer).equals(Buffer.from((await wa[i].data()).buffer))).toBe(true);
  }
}

/** Writes a Keras 1 style file as fchollet's ResNet50 weights are: notebook layer names, `<layer>_W:0` weights. */
async function writeNotebookStyleFile(model: tf.LayersModel): Promise<Uint8Array> {
  const { FS } = await h5wasm.ready;
  const path = '/notebook-style.h5';
  const file = new h5wasm.File(path, 'w');
  const keras1: Record<string, string> = { kernel: 'W', bias: 'b', moving_mean: 'running_mean', moving_variance: 'running_std' };
  const names = model.layers.map((l) => kerasToNotebookName(l.name) ?? l.name);
  file.create_attribute('layer_names', names, [names.length], `A${Math.max(...names.map((n) => n.length)) + 1}`);
  model.layers.forEach((layer, i) => {
    const group = file.create_group(names[i]);
    let weights = layer.weights.map((w) => ({ variable: w, name: `${names[i]}_${keras1[w.originalName.split('/').pop()!] ?? w.originalName.split('/').pop()}:0` }));
    // fchollet's order is Keras's; put the bias first somewhere to prove weights are matched by name.
    if (layer.name === 'conv2_block1_1_conv') weights = [weights[1], weights[0]];
    if (weights.length === 0) {
      group.create_attribute('weight_names', new Float64Array(0), [0], '<d');
      return;
    }
    group.create_attribute('weight_names', weights.map((w) => w.name), [weights.length], 'A64');
    for (const w of weights) {
      group.create_dataset({ name: w.name, data: w.variable.read().dataSync() as Float32Array, shape: w.variable.shape as number[], dtype: '<f' });
    }
  });
  file.close();
  const bytes = FS.readFile(path);
  FS.unlink(path);
  return bytes;
}

describe('Keras HDF5 export and import of a zoo ResNet50', () => {
  let source: tf.LayersModel;
  let target: tf.LayersModel;
  let exported: Uint8Array;

  beforeAll(async () => {
    await tf.setBackend('cpu');
    source = createModel('resnet50', OPTIONS);
    target = createModel('resnet50', OPTIONS);
    exported = await encodeKerasWeights(source);
  });
  afterAll(() => {
    source.dispose();
    target.dispose();
  });

  it('imports its own export exactly, by name, leaving no tensors behind', async () => {
    const before = tf.memory().numTensors;
    const result = await loadKerasWeights(target, exported);
    expect(tf.memory().numTensors).toBe(before);
    expect(result).toMatchObject({ strategy: 'name', layout: 'save_weights', skipped: [], unusedFileLayers: [] });
    expect(result.loaded).toHaveLength(source.layers.filter((l) => l.weights.length > 0).length);
    await expectSameWeights(source, target);
  });

  it('writes every layer in model order with weight_names <layer>/<weight>:0, leaving no tensors behind', async () => {
    const before = tf.memory().numTensors;
    await encodeKerasWeights(source);
    expect(tf.memory().numTensors).toBe(before);
    const file = await readKerasWeights(exported);
    expect(file.layout).toBe('save_weights');
    expect(file.layers.map((l) => l.name)).toEqual(source.layers.map((l) => l.name));
    const conv = file.layers.find((l) => l.name === 'conv2_block1_1_conv')!;
    expect(conv.weights.map((w) => w.name)).toEqual(['conv2_block1_1_conv/kernel:0', 'conv2_block1_1_conv/bias:0']);
    const bn = file.layers.find((l) => l.name === 'conv1_bn')!;
    expect(bn.weights.map((w) => w.name)).toEqual(['conv1_bn/gamma:0', 'conv1_bn/beta:0', 'conv1_bn/moving_mean:0', 'conv1_bn/moving_variance:0']);
  });

  it('loads a file with the original notebook names and Keras 1 weight names', async () => {
    const fresh = createModel('resnet50', OPTIONS);
    const notebookFile = await writeNotebookStyleFile(source);
    const names = (await readKerasWeights(notebookFile)).layers.map((l) => l.name);
    expect(names).toContain('res2a_branch2a');
    expect(names).toContain('bn_conv1');
    const result = await loadKerasWeights(fresh, notebookFile);
    expect(result.strategy).toBe('name');
    expect(result.skipped).toEqual([]);
    await expectSameWeights(source, fresh);
    fresh.dispose();
  });

  it('falls back to topology order when no layer name matches', async () => {
    const renamed = createModel('resnet50', { ...OPTIONS, name: 'renamed' });
    // Same architecture, other layer names: rename through a JSON round trip of the topology.
    const json = JSON.parse(JSON.stringify(renamed.toJSON(null, false)).replace(/"(conv\d_block\d+_\d_(?:conv|bn)|conv1_conv|conv1_bn|predictions)"/g, '"x_$1"'));
    renamed.dispose();
    const other = await tf.models.modelFromJSON({ modelTopology: json });
    expect(other.getLayer('x_conv1_conv')).toBeDefined();
    const result = await loadKerasWeights(other, exported);
    expect(result.strategy).toBe('topology');
    await expectSameWeights(source, other);
    other.dispose();
  });

  it('saves to a path atomically, leaving only the final file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'keras-save-'));
    const small = () => tf.sequential({ layers: [tf.layers.dense({ inputShape: [4], units: 3, name: 'fc' })] });
    const a = small();
    const b = small();
    try {
      const path = join(dir, 'small.weights.h5');
      const result = await saveKerasWeights(a, path);
      expect(readdirSync(dir)).toEqual(['small.weights.h5']);
      expect(result).toEqual({ bytes: readFileSync(path).length, layers: 1, weights: 2 });
      await loadKerasWeights(b, path);
      await expectSameWeights(a, b);
    } finally {
      a.dispose();
      b.dispose();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

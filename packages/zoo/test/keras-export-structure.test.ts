import * as tf from '@tensorflow/tfjs';
import h5wasm, { type Attribute, type Dataset, type File as H5File, type Group } from 'h5wasm';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadKerasWeights, modelFromKerasJson } from '../src/weights/index';
import { encodeKerasWeights } from '../src/weights/save-keras-weights';
import { fixture, haveKerasFixtures } from './keras-fixtures';

async function open(bytes: Uint8Array): Promise<{ file: H5File; close: () => void }> {
  const { FS } = await h5wasm.ready;
  const name = `/structure-${Math.random().toString(36).slice(2)}.h5`;
  FS.writeFile(name, bytes);
  const file = new h5wasm.File(name, 'r');
  return { file, close: () => (file.close(), FS.unlink(name)) };
}

/** The parts of an attribute's HDF5 type that h5py / Keras depend on. */
function attributeKind(attribute: Attribute) {
  const { type, vlen, cset, size, shape } = attribute.metadata as { type: number; vlen: boolean; cset?: number; size: number; shape: number[] };
  // Fixed-length strings: Keras only needs them wide enough; ours keep one NUL byte more.
  return { type, vlen, cset, shape, size: type === 3 && !vlen ? 'fixed' : size };
}

describe.skipIf(!haveKerasFixtures)('exported file has the structure of a real Keras save_weights file', () => {
  const original = fixture('jetTagger_Conv2D_Small_weights.h5');
  let ours: Awaited<ReturnType<typeof open>>;
  let theirs: Awaited<ReturnType<typeof open>>;

  beforeAll(async () => {
    await tf.setBackend('cpu');
    const model = await modelFromKerasJson(readFileSync(fixture('jetTagger_Conv2D_Small.json'), 'utf8'));
    await loadKerasWeights(model, original);
    ours = await open(await encodeKerasWeights(model, { kerasVersion: '2.0.6' }));
    theirs = await open(new Uint8Array(readFileSync(original)));
    model.dispose();
  });
  afterAll(() => {
    ours?.close();
    theirs?.close();
  });

  it('root attributes: same names, string kinds and values', () => {
    expect(Object.keys(ours.file.attrs).sort()).toEqual(Object.keys(theirs.file.attrs).sort());
    for (const name of ['backend', 'keras_version', 'layer_names']) {
      expect(attributeKind(ours.file.attrs[name])).toEqual(attributeKind(theirs.file.attrs[name]));
      expect(ours.file.attrs[name].value).toEqual(theirs.file.attrs[name].value);
    }
  });

  it('layer groups: same nesting, weight_names, dataset shapes, dtypes and values', () => {
    expect(ours.file.keys().sort()).toEqual(theirs.file.keys().sort());
    for (const layer of theirs.file.keys()) {
      const a = ours.file.get(layer) as Group;
      const b = theirs.file.get(layer) as Group;
      expect(a.keys(), layer).toEqual(b.keys());
      expect(attributeKind(a.attrs.weight_names), layer).toEqual(attributeKind(b.attrs.weight_names));
      const names = b.attrs.weight_names.value;
      expect(a.attrs.weight_names.value, layer).toEqual(names);
      for (const weight of Array.isArray(names) ? (names as string[]) : []) {
        const da = a.get(weight) as Dataset;
        const db = b.get(weight) as Dataset;
        expect(da.shape).toEqual(db.shape);
        expect(da.dtype).toEqual(db.dtype);
        expect(da.metadata.littleEndian).toBe(true);
        expect(Array.from(da.value as Float32Array)).toEqual(Array.from(db.value as Float32Array));
      }
    }
  });
});

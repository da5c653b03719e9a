import * as tf from '@tensorflow/tfjs';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import h5wasm from 'h5wasm';
import { loadKerasWeights } from '../src/weights/index';
import { encodeKerasWeights } from '../src/weights/save-keras-weights';

/** input(8x8x64) -> conv2_block1_1_conv (1x1, `filters`) -> flatten -> predictions(`classes`). */
function smallNet(filters: number, classes: number, head = 'predictions'): tf.LayersModel {
  const input = tf.input({ shape: [8, 8, 64], name: 'input_1' });
  const conv = tf.layers.conv2d({ filters, kernelSize: 1, name: 'conv2_block1_1_conv' }).apply(input) as tf.SymbolicTensor;
  const flat = tf.layers.globalAveragePooling2d({ name: 'avg_pool' }).apply(conv) as tf.SymbolicTensor;
  const out = tf.layers.dense({ units: classes, name: head }).apply(flat) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: out });
}

const snapshot = (model: tf.LayersModel) => model.getWeights().map((w) => Array.from(w.dataSync()));

let dir: string;
beforeAll(async () => {
  await tf.setBackend('cpu');
  dir = mkdtempSync(join(tmpdir(), 'keras-errors-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('shape mismatches', () => {
  it('names the layer, the expected and the found shapes, and changes nothing', async () => {
    const file = await encodeKerasWeights(smallNet(128, 10));
    const model = smallNet(64, 10);
    const before = snapshot(model);
    await expect(loadKerasWeights(model, file)).rejects.toThrow(
      'Layer conv2_block1_1_conv: expected kernel [1,1,64,64], file has [1,1,64,128] (skipMismatch / --skip-mismatch to ignore)',
    );
    expect(snapshot(model)).toEqual(before);
    model.dispose();
  });

  it('with skipMismatch loads the rest and reports each skipped layer (another head)', async () => {
    const donor = smallNet(64, 1000);
    const file = await encodeKerasWeights(donor);
    const model = smallNet(64, 6);
    const onSkip = vi.fn();
    const result = await loadKerasWeights(model, file, { skipMismatch: true, onSkip });
    expect(result.loaded).toEqual(['conv2_block1_1_conv']);
    expect(result.skipped).toEqual([
      { layer: 'predictions', fileLayer: 'predictions', reason: 'expected kernel [64,6], file has [64,1000]' },
    ]);
    expect(onSkip).toHaveBeenCalledWith(result.skipped[0]);
    expect(snapshot(model)[0]).toEqual(Array.from(donor.getLayer('conv2_block1_1_conv').getWeights()[0].dataSync()));
    donor.dispose();
    model.dispose();
  });

  it('a model layer missing from the file is an error, or a skip with skipMismatch', async () => {
    const file = await encodeKerasWeights(smallNet(64, 6, 'head'));
    const model = smallNet(64, 6);
    await expect(loadKerasWeights(model, file)).rejects.toThrow(/layer predictions: not in the file/);
    const result = await loadKerasWeights(model, file, { skipMismatch: true });
    expect(result.skipped.map((s) => s.layer)).toEqual(['predictions']);
    expect(result.unusedFileLayers).toEqual(['head']);
    model.dispose();
  });
});

describe('unreadable files', () => {
  it('a non-HDF5 file is an error naming it', async () => {
    const path = join(dir, 'weights.h5');
    writeFileSync(path, '{"this": "is json, not hdf5"}');
    await expect(loadKerasWeights(smallNet(64, 6), path)).rejects.toThrow(`${path}: not an HDF5 file`);
  });

  it('a truncated file is an error naming it', async () => {
    const bytes = await encodeKerasWeights(smallNet(64, 6));
    const path = join(dir, 'truncated.h5');
    writeFileSync(path, bytes.subarray(0, Math.floor(bytes.length / 2)));
    await expect(loadKerasWeights(smallNet(64, 6), path)).rejects.toThrow(new RegExp(`${path}: .*truncated`));
  });

  it('a missing file is an error naming it', async () => {
    const path = join(dir, 'nope.h5');
    await expect(loadKerasWeights(smallNet(64, 6), path)).rejects.toThrow(`${path}: file not found`);
  });
});

describe('URL sources', () => {
  let server: Server;
  let base: string;
  let bytes: Uint8Array;
  beforeAll(async () => {
    bytes = await encodeKerasWeights(smallNet(64, 6));
    server = createServer((req, res) => {
      if (req.url === '/weights.h5') res.end(Buffer.from(bytes));
      else res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('downloads and loads an http URL', async () => {
    const model = smallNet(64, 6);
    const result = await loadKerasWeights(model, `${base}/weights.h5`);
    expect(result.loaded).toEqual(['conv2_block1_1_conv', 'predictions']);
    model.dispose();
  });

  it('reports the HTTP status of a failed download', async () => {
    await expect(loadKerasWeights(smallNet(64, 6), `${base}/missing.h5`)).rejects.toThrow(`${base}/missing.h5: download failed with HTTP 404`);
  });
});

describe('other HDF5 files', () => {
  it('an HDF5 file without layer_names (e.g. a Keras 3 .weights.h5) is refused with advice', async () => {
    const { FS } = await h5wasm.ready;
    const file = new h5wasm.File('/keras3.h5', 'w');
    file.create_group('layers');
    file.create_group('layers/dense');
    file.close();
    const bytes = FS.readFile('/keras3.h5');
    FS.unlink('/keras3.h5');
    await expect(loadKerasWeights(smallNet(64, 6), bytes)).rejects.toThrow(/no "layer_names" attribute; .*Keras 3 \.weights\.h5/);
  });
});

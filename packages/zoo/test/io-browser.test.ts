import * as tf from '@tensorflow/tfjs';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, normalize } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserModelIO, safeHttpIO } from '../src/browser/index';
import { fileIO } from '../src/node/index';
import { guardIOHandler } from '../src/weights/tfjs/index';

let root: string;
let server: Server;
let base: string;
const requested: string[] = [];

function smallModel(): tf.LayersModel {
  return tf.sequential({ layers: [tf.layers.dense({ inputShape: [3], units: 2, name: 'fc', kernelInitializer: tf.initializers.glorotUniform({ seed: 5 }) })] });
}

function rewrite(dir: string, edit: (json: any) => void) {
  const path = join(root, dir, 'model.json');
  const json = JSON.parse(readFileSync(path, 'utf8'));
  edit(json);
  writeFileSync(path, JSON.stringify(json));
}

beforeAll(async () => {
  await tf.setBackend('cpu');
  root = mkdtempSync(join(tmpdir(), 'tfjs-http-'));
  for (const dir of ['good', 'climb', 'origin', 'short']) await smallModel().save(fileIO(join(root, 'models', dir)));
  writeFileSync(join(root, 'secret.bin'), 'secret');
  server = createServer((req, res) => {
    requested.push(req.url!);
    const path = normalize(join(root, decodeURIComponent(req.url!)));
    try {
      res.end(readFileSync(path));
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  rewrite('models/climb', (json) => (json.weightsManifest[0].paths = ['../../secret.bin']));
  rewrite('models/origin', (json) => (json.weightsManifest[0].paths = ['//example.invalid/models/origin/group1-shard1of1.bin']));
  const shard = join(root, 'models/short/group1-shard1of1.bin');
  writeFileSync(shard, readFileSync(shard).subarray(0, 8));
});
afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  rmSync(root, { recursive: true, force: true });
});

describe('safe http(s) loading', () => {
  it('loads a model folder served over http', async () => {
    const model = await tf.loadLayersModel(safeHttpIO(`${base}/models/good/model.json`));
    expect(model.getLayer('fc').getWeights()[0].shape).toEqual([3, 2]);
    model.dispose();
  });

  it('refuses a shard path that climbs out of the model folder, without fetching it', async () => {
    await expect(tf.loadLayersModel(safeHttpIO(`${base}/models/climb/model.json`))).rejects.toThrow(/climbs out of the model folder/);
    expect(requested).not.toContain('/secret.bin');
  });

  it('refuses a protocol-relative shard path pointing to another origin', async () => {
    await expect(tf.loadLayersModel(safeHttpIO(`${base}/models/origin/model.json`))).rejects.toThrow(/is absolute/);
  });

  it('refuses shards shorter than the weight specs', async () => {
    await expect(tf.loadLayersModel(safeHttpIO(`${base}/models/short/model.json`))).rejects.toThrow(/hold 8 bytes but their weight specs need 32/);
  });
});

describe('guarding any tfjs handler', () => {
  it('refuses artifacts whose weight data does not match the specs', async () => {
    const handler = tf.io.fromMemory({
      modelTopology: smallModel().toJSON(null, false) as object,
      weightSpecs: [{ name: 'fc/kernel', shape: [3, 2], dtype: 'float32' }],
      weightData: new ArrayBuffer(12),
    });
    await expect(tf.loadLayersModel(guardIOHandler(handler, 'memory://test'))).rejects.toThrow(
      'memory://test: weight data has 12 bytes but the weight specs need 24; the stored model is corrupt',
    );
  });

  it('quantises before the wrapped handler saves', async () => {
    let saved: tf.io.ModelArtifacts | undefined;
    const sink = tf.io.withSaveHandler(async (artifacts) => {
      saved = artifacts;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    });
    const model = smallModel();
    await model.save(guardIOHandler(sink, 'sink', { quantize: 'uint8' }));
    expect(saved!.weightSpecs!.map((s) => s.quantization?.dtype)).toEqual(['uint8', 'uint8']);
    expect((saved!.weightData as ArrayBuffer).byteLength).toBe(8);
    model.dispose();
  });

  it('explains that IndexedDB needs a browser', () => {
    expect(() => browserModelIO('indexeddb://my-model')).toThrow(/no tfjs handler for this URL here/);
  });
});

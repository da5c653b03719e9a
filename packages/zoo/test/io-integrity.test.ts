import * as tf from '@tensorflow/tfjs';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createModel, guardIOHandler, readModelCard, writeModelCard, type ModelCard } from '../src/index';
import { fileIO } from '../src/node/index';
import { topologyWeights } from '../src/weights/tfjs/topology-weights';

let root: string;
let counter = 0;
const freshDir = () => join(root, `model-${(counter += 1)}`);

const card: ModelCard = {
  format: 'resnet-ts/model-card',
  version: 1,
  architecture: { name: 'tiny' },
  inputSize: [4, 4, 3],
  preprocessing: { normalization: 'unit', cropPct: 1, interpolation: 'bilinear' },
  weights: { source: 'random' },
};

/** conv 3x3x3x8 + dense 10 on 4x4x3 images, with a model card; 256-byte shards make several. */
function cardedModel(): tf.LayersModel {
  const model = tf.sequential({
    name: 'tiny',
    layers: [
      tf.layers.conv2d({ inputShape: [4, 4, 3], filters: 8, kernelSize: 3, name: 'conv', kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }) }),
      tf.layers.flatten({ name: 'flat' }),
      tf.layers.dense({ units: 10, name: 'fc', kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }) }),
    ],
  });
  writeModelCard(model, card);
  return model;
}

async function savedModel(withCard = true) {
  const dir = freshDir();
  const model = cardedModel();
  if (!withCard) model.setUserDefinedMetadata({});
  await model.save(fileIO(dir, { shardBytes: 256 }));
  model.dispose();
  return dir;
}

const readJson = (dir: string) => JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
function rewrite(dir: string, edit: (json: any) => void) {
  const json = readJson(dir);
  edit(json);
  writeFileSync(join(dir, 'model.json'), JSON.stringify(json));
}

beforeAll(async () => {
  await tf.setBackend('cpu');
  root = mkdtempSync(join(tmpdir(), 'tfjs-integrity-'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('a model.json without its weights manifest', () => {
  it('is refused by the file handler, naming model.json and the key, instead of building random weights', async () => {
    const dir = await savedModel();
    rewrite(dir, (json) => delete json.weightsManifest);
    await expect(tf.loadLayersModel(fileIO(dir))).rejects.toThrow(`${join(dir, 'model.json')}: no "weightsManifest"`);
  });

  it('is refused by guarded handlers (IndexedDB, browser files) that return a topology alone', async () => {
    const dir = await savedModel();
    const { modelTopology } = readJson(dir);
    await expect(tf.loadLayersModel(guardIOHandler(tf.io.fromMemory({ modelTopology }), 'uploaded model.json'))).rejects.toThrow(
      'uploaded model.json: no "weightsManifest"',
    );
  });
});

describe('shard checksums in the model card', () => {
  it('records the size and SHA-256 of every shard when saving, and drops them from the loaded model', async () => {
    const dir = await savedModel();
    const json = readJson(dir);
    const paths: string[] = json.weightsManifest[0].paths;
    expect(paths.length).toBeGreaterThan(2);
    expect(json.userDefinedMetadata.modelCard.weights.shards).toEqual(
      paths.map((path) => {
        const bytes = readFileSync(join(dir, path));
        return { path, bytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') };
      }),
    );
    const loaded = await tf.loadLayersModel(fileIO(dir));
    expect(readModelCard(loaded).card).toEqual(card);
    loaded.dispose();
  });

  it('refuses a manifest that lists the same shard twice', async () => {
    const dir = await savedModel(false);
    rewrite(dir, (json) => (json.weightsManifest[0].paths[1] = json.weightsManifest[0].paths[0]));
    await expect(tf.loadLayersModel(fileIO(dir))).rejects.toThrow(/shard group1-shard1of\d+\.bin is listed twice in "weightsManifest"/);
  });

  it('refuses a shard whose bytes differ from its checksum, naming the shard file', async () => {
    const dir = await savedModel();
    const shard = join(dir, readJson(dir).weightsManifest[0].paths[1]);
    const bytes = readFileSync(shard);
    bytes[7] ^= 0xff;
    writeFileSync(shard, bytes);
    await expect(tf.loadLayersModel(fileIO(dir))).rejects.toThrow(/shard group1-shard2of\d+\.bin does not match the model card's checksum/);
  });

  it('refuses two shards of equal size swapped in the manifest or on disk', async () => {
    const dir = await savedModel();
    const [first, second] = readJson(dir).weightsManifest[0].paths.map((p: string) => join(dir, p));
    rewrite(dir, (json) => {
      const paths = json.weightsManifest[0].paths;
      [paths[0], paths[1]] = [paths[1], paths[0]];
    });
    await expect(tf.loadLayersModel(fileIO(dir))).rejects.toThrow(/do not list the same shards in the same order/);
    rewrite(dir, (json) => {
      const paths = json.weightsManifest[0].paths;
      [paths[0], paths[1]] = [paths[1], paths[0]];
    });
    const bytes = [readFileSync(first), readFileSync(second)];
    writeFileSync(first, bytes[1]);
    writeFileSync(second, bytes[0]);
    await expect(tf.loadLayersModel(fileIO(dir))).rejects.toThrow(/shard group1-shard1of\d+\.bin does not match the model card's checksum/);
  });

  it('refuses a card and a manifest that name different shards', async () => {
    const dir = await savedModel();
    rewrite(dir, (json) => json.userDefinedMetadata.modelCard.weights.shards.pop());
    await expect(tf.loadLayersModel(fileIO(dir))).rejects.toThrow(/weights\.shards .* and "weightsManifest" .* do not list the same shards/);
  });

  it('still loads a model whose card predates checksums', async () => {
    const dir = await savedModel();
    rewrite(dir, (json) => delete json.userDefinedMetadata.modelCard.weights.shards);
    const loaded = await tf.loadLayersModel(fileIO(dir));
    expect(readModelCard(loaded).card).toEqual(card);
    loaded.dispose();
  });

  it('checks the shards that browser-file handlers hand over joined', async () => {
    const dir = await savedModel();
    const json = readJson(dir);
    const shards = json.weightsManifest[0].paths.map((p: string) => readFileSync(join(dir, p)));
    const artifacts = (data: Buffer) => ({
      modelTopology: json.modelTopology,
      weightSpecs: json.weightsManifest[0].weights,
      weightData: new Uint8Array(data).buffer,
      userDefinedMetadata: json.userDefinedMetadata,
    });
    const good = await tf.loadLayersModel(guardIOHandler(tf.io.fromMemory(artifacts(Buffer.concat(shards))), 'upload'));
    good.dispose();
    const swapped = Buffer.concat([shards[1], shards[0], ...shards.slice(2)]);
    await expect(tf.loadLayersModel(guardIOHandler(tf.io.fromMemory(artifacts(swapped)), 'upload'))).rejects.toThrow(
      /upload: shard group1-shard1of\d+\.bin does not match/,
    );
  });
});

describe('sizes in a topology are checked before the model is built', () => {
  it('refuses conv filters the weights manifest cannot hold, naming the layer and the key', async () => {
    const dir = await savedModel();
    rewrite(dir, (json) => (json.modelTopology.config.layers[0].config.filters = 1_000_000));
    await expect(tf.loadLayersModel(fileIO(dir))).rejects.toThrow(
      /the topology needs at least \d+ weights; layer "conv" \(Conv2D\) alone needs 28000000 from its "filters", but "weightsManifest" holds only 554;/,
    );
  });

  it('refuses a topology over the weight-byte limit', async () => {
    const dir = await savedModel();
    rewrite(dir, (json) => (json.modelTopology.config.layers[2].config.units = 100_000_000));
    await expect(tf.loadLayersModel(fileIO(dir))).rejects.toThrow(/layer "fc" \(Dense\) alone needs \d+ from its "units", over the 2147483648-byte limit \(maxWeightBytes\)/);
  });

  it('refuses a size key that is not a positive integer', async () => {
    const dir = await savedModel();
    rewrite(dir, (json) => (json.modelTopology.config.layers[0].config.kernel_size = [3, -1]));
    await expect(tf.loadLayersModel(fileIO(dir))).rejects.toThrow(/layer "conv": "kernel_size" must be positive integers, got \[3,-1\]/);
  });

  it('never counts more weights than a model has, also with batch norm on another axis than the channels', () => {
    // The notebook's shortcut BN normalises axis 1 (rows): 2 rows here, against 64 channels.
    const model = tf.sequential({
      layers: [
        tf.layers.conv2d({ inputShape: [2, 2, 3], filters: 64, kernelSize: 1 }),
        tf.layers.batchNormalization({ axis: 1 }),
        tf.layers.globalAveragePooling2d({}),
        tf.layers.dense({ units: 2 }),
      ],
    });
    expect(topologyWeights(model.toJSON(undefined, false), 'rows-bn').count).toBeLessThanOrEqual(model.countParams());
    model.dispose();
  });

  it('never counts more weights than a ResNet has', () => {
    const model = createModel('resnet18', { inputShape: [32, 32, 3], classes: 5 });
    const { count } = topologyWeights(model.toJSON(undefined, false), 'resnet18');
    // Batch norms count their moving statistics only: a lower bound, close to the real count.
    expect(count).toBeLessThanOrEqual(model.countParams());
    expect(count).toBeGreaterThan(0.99 * model.countParams());
    model.dispose();
  });
});

describe('model.json shape is checked before JSON.parse', () => {
  it('refuses deep nesting, naming the file', async () => {
    const dir = await savedModel();
    const depth = 200_000;
    writeFileSync(join(dir, 'model.json'), `{"modelTopology": ${'['.repeat(depth)}${']'.repeat(depth)}}`);
    await expect(tf.loadLayersModel(fileIO(dir))).rejects.toThrow(`${join(dir, 'model.json')}: JSON nested more than 64 levels deep`);
  });

  it('refuses millions of values', async () => {
    const dir = await savedModel();
    rewrite(dir, (json) => (json.userDefinedMetadata.filler = new Array(1_100_000).fill(0)));
    await expect(tf.loadLayersModel(fileIO(dir))).rejects.toThrow(/JSON has more than 1000000 values/);
  });

  it('ignores brackets and commas inside strings', async () => {
    const dir = await savedModel();
    rewrite(dir, (json) => (json.userDefinedMetadata.note = `${'[{,'.repeat(2_000_000)} "\\" ]`));
    const loaded = await tf.loadLayersModel(fileIO(dir));
    loaded.dispose();
  });
});

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { readModelCard, type ModelCard } from '@resnet-ts/zoo';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportOnnx } from '../src/export-onnx';
import { readOnnxMetadata } from '../src/metadata';
import { OnnxEngine } from '../src/node/engine';
import { readOnnxMetadataFile } from '../src/node/metadata-file';
import { buildMiniResNet, useFastBackend } from './helpers';

const model = () => buildMiniResNet({ classes: 3 });
let card: ModelCard;
let dir: string;

beforeAll(async () => {
  await useFastBackend();
  const mini = model();
  const assumed = readModelCard(mini).card;
  card = { ...assumed, classNames: ['cat', 'dog', 'fish'], preprocessing: { ...assumed.preprocessing, normalization: 'caffe' }, weights: { source: 'trained' } };
  mini.dispose();
  dir = await mkdtemp(path.join(os.tmpdir(), 'resnet-onnx-card-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('the model card in metadata_props', () => {
  it('travels as model_card and fills class_names, preprocessing and model_name; the file reader and the engine read it', async () => {
    const mini = model();
    const bytes = exportOnnx(mini, { metadata: { card } });
    mini.dispose();
    const metadata = readOnnxMetadata(bytes);
    expect(metadata.modelCard).toEqual({ card, assumed: false });
    expect(JSON.parse(metadata.props.model_card)).toEqual(card);
    expect(metadata).toMatchObject({ classNames: card.classNames, preprocessing: card.preprocessing, modelName: 'mini_resnet' });
    const file = path.join(dir, 'carded.onnx');
    await writeFile(file, bytes);
    expect((await readOnnxMetadataFile(file)).modelCard).toEqual({ card, assumed: false });
    const engine = await OnnxEngine.load(file, { intraOpThreads: 1 });
    expect(engine.classNames).toEqual(card.classNames);
    expect(engine.metadata.modelCard?.card.preprocessing.normalization).toBe('caffe');
    await engine.dispose();
  });

  it("reads a 0.1 export's class_names and preprocessing.normalization as a card, and assumes what is missing", () => {
    const mini = model();
    const old = readOnnxMetadata(exportOnnx(mini, { metadata: { classNames: ['a', 'b', 'c'], preprocessing: { normalization: 'tf' } } }));
    expect(old.modelCard).toMatchObject({ card: { inputSize: [32, 32, 3], classNames: ['a', 'b', 'c'], preprocessing: { normalization: 'tf' } }, assumed: false });
    const bare = readOnnxMetadata(exportOnnx(mini));
    expect(bare.modelCard).toMatchObject({ assumed: true, notice: 'no model card; assuming unit normalization and class indices as names' });
    mini.dispose();
  });

  it('refuses an invalid card, naming the key', () => {
    const mini = model();
    const bad = { ...card, preprocessing: { ...card.preprocessing, normalization: 'bgr' } } as unknown as ModelCard;
    expect(() => exportOnnx(mini, { metadata: { card: bad } })).toThrow(/preprocessing\.normalization: Invalid enum value\. Expected 'caffe' \| 'torch' \| 'tf' \| 'unit' \| 'raw', received 'bgr'/);
    mini.dispose();
  });
});

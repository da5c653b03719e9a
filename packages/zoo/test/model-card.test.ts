import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { modelCardFor, ModelCardError, readModelCard, writeModelCard, type ModelCard } from '../src/index';
import { withModel } from './models-helpers';

const resnet18 = { inputShape: [32, 32, 3] as [number, number, number], classes: 3 };
const classNames = ['cat', 'dog', 'fish'];

/** A small image classifier that is not from the registry. */
function foreignModel(): tf.LayersModel {
  return tf.sequential({
    name: 'foreign',
    layers: [
      tf.layers.conv2d({ inputShape: [8, 8, 3], filters: 2, kernelSize: 3 }),
      tf.layers.globalAveragePooling2d({}),
      tf.layers.dense({ units: 4, activation: 'softmax' }),
    ],
  });
}

/** Saves a model to memory the way every tfjs IOHandler receives it. */
async function saveToMemory(model: tf.LayersModel): Promise<tf.io.ModelArtifacts> {
  let saved: tf.io.ModelArtifacts | undefined;
  await model.save(tf.io.withSaveHandler(async (artifacts) => ((saved = artifacts), { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) })));
  return saved!;
}

beforeAll(() => tf.setBackend('cpu'));

describe('model card', () => {
  it('survives write -> save -> load -> read, next to foreign metadata and in place of the 0.1 keys', async () => {
    const card = modelCardFor('resnet18', resnet18, { classNames, weights: { source: 'keras-h5', path: 'resnet18.h5' }, recipeHash: 'sha256:abc' });
    await withModel('resnet18', resnet18, async (model) => {
      model.setUserDefinedMetadata({ trainedBy: 'someone else', classNames: ['old'], normalization: 'raw' });
      writeModelCard(model, card);
      const artifacts = await saveToMemory(model);
      expect(artifacts.userDefinedMetadata).toEqual({ trainedBy: 'someone else', modelCard: card });
      expect(readModelCard(artifacts)).toEqual({ card, assumed: false });
      const loaded = await tf.loadLayersModel(tf.io.fromMemory(JSON.parse(JSON.stringify({ ...artifacts, weightData: undefined }))));
      expect(readModelCard(loaded)).toEqual({ card, assumed: false });
      expect(readModelCard(JSON.parse(JSON.stringify(card)))).toEqual({ card, assumed: false });
      loaded.dispose();
    });
    expect(card).toEqual({
      format: 'resnet-ts/model-card',
      version: 1,
      architecture: { name: 'resnet18', options: { includeTop: true, classes: 3, classifierActivation: 'softmax', zeroInitResidual: false } },
      inputSize: [32, 32, 3],
      classNames,
      preprocessing: { normalization: 'torch', cropPct: 0.875, interpolation: 'bilinear' },
      weights: { source: 'keras-h5', path: 'resnet18.h5' },
      recipeHash: 'sha256:abc',
    });
  });

  it("takes each variant's preprocessing from the registry: Keras ResNet50 caffe, v2 tf; extras override it", () => {
    expect(modelCardFor('resnet50').preprocessing).toEqual({ normalization: 'caffe', cropPct: 0.875, interpolation: 'bilinear' });
    expect(modelCardFor('resnet50v2').preprocessing.normalization).toBe('tf');
    expect(modelCardFor('resnet50', {}, { preprocessing: { normalization: 'unit' } }).preprocessing.normalization).toBe('unit');
    const headless = modelCardFor('resnet50', { includeTop: false, pooling: 'avg', inputShape: [64, 64, 3] });
    expect(headless).toMatchObject({ inputSize: [64, 64, 3], architecture: { options: { includeTop: false, pooling: 'avg' } }, weights: { source: 'random' } });
    expect(() => modelCardFor('vgg16')).toThrow(/Unknown model "vgg16"/);
  });

  it('reads resnet-ts 0.1 metadata ({ classNames, architecture, normalization }) as a card', async () => {
    await withModel('resnet18', resnet18, (model) => {
      model.setUserDefinedMetadata({ classNames, architecture: 'resnet18', normalization: 'tf' });
      expect(readModelCard(model)).toEqual({
        card: {
          format: 'resnet-ts/model-card',
          version: 1,
          architecture: { name: 'resnet18' },
          inputSize: [32, 32, 3],
          classNames,
          preprocessing: { normalization: 'tf', cropPct: 1, interpolation: 'bilinear' },
          weights: { source: 'unknown' },
        },
        assumed: false,
      });
      model.setUserDefinedMetadata({ classNames });
      expect(readModelCard(model)).toMatchObject({ assumed: true, notice: 'no model card; assuming unit normalization' });
    });
    // `resnet export` 0.1 also wrote inputShape, so the metadata alone is enough (ONNX and sidecars).
    expect(readModelCard({ classNames, normalization: 'caffe', inputShape: [64, 64, 3] }).card).toMatchObject({ inputSize: [64, 64, 3], classNames });
  });

  it('gives a foreign model defaults and a one-line notice, and takes sidecar metadata under its own', async () => {
    const model = foreignModel();
    const read = readModelCard(model);
    expect(read).toEqual({
      card: {
        format: 'resnet-ts/model-card',
        version: 1,
        architecture: { name: 'foreign' },
        inputSize: [8, 8, 3],
        preprocessing: { normalization: 'unit', cropPct: 1, interpolation: 'bilinear' },
        weights: { source: 'unknown' },
      },
      assumed: true,
      notice: 'no model card; assuming unit normalization and class indices as names',
    });
    expect(readModelCard(await saveToMemory(model)).card).toEqual(read.card);
    const sidecar = { modelName: 'resnet50', classNames: ['a', 'b', 'c', 'd'], normalization: 'caffe', seed: undefined };
    expect(readModelCard(model, { sidecar })).toMatchObject({ card: { architecture: { name: 'resnet50' }, classNames: sidecar.classNames }, assumed: false });
    model.setUserDefinedMetadata({ normalization: 'raw' });
    expect(readModelCard(model, { sidecar }).card.preprocessing.normalization).toBe('raw');
    model.dispose();
    expect(() => readModelCard({ classNames })).toThrow(/inputSize: the metadata has no model card and no inputShape/);
  });

  it('refuses invalid cards with errors naming the key and the allowed values', async () => {
    const card = modelCardFor('resnet18', resnet18, { classNames });
    const bad = (patch: Record<string, unknown>) => ({ ...card, ...patch }) as ModelCard;
    await withModel('resnet18', resnet18, (model) => {
      const write = (c: ModelCard) => () => writeModelCard(model, c);
      expect(write(bad({ preprocessing: { ...card.preprocessing, normalization: 'bgr' } }))).toThrow(ModelCardError);
      expect(write(bad({ preprocessing: { ...card.preprocessing, normalization: 'bgr' } }))).toThrow(
        "Invalid model card: preprocessing.normalization: Invalid enum value. Expected 'caffe' | 'torch' | 'tf' | 'unit' | 'raw', received 'bgr'",
      );
      expect(write(bad({ classNames: ['cat'] }))).toThrow(/classNames: names 1 classes, architecture.options.classes is 3/);
      expect(write(bad({ inputSize: [64, 64, 3] }))).toThrow(/inputSize: the card says \[64,64,3\], model resnet18 takes \[32,32,3\]/);
      expect(write(bad({ architecture: { name: 'resnet18', options: { ...card.architecture.options!, classifierActivation: 'relu' } } }))).toThrow(
        /architecture\.options\.classifierActivation: expected 'softmax', 'sigmoid' or null \(logits\), got "relu"/,
      );
      expect(model.getUserDefinedMetadata()).toBeUndefined();
    });
    expect(() => readModelCard({ modelCard: { ...card, weights: { source: 's3' } } })).toThrow(
      /weights\.source: Invalid enum value\. Expected 'random' \| 'trained' \| 'keras-h5' \| 'safetensors' \| 'tfjs' \| 'imagenet' \| 'unknown', received 's3'/,
    );
    expect(() => readModelCard({ modelCard: { ...card, inputSize: undefined } })).toThrow(/inputSize: Required/);
    expect(() => readModelCard({ modelCard: { ...card, version: 2 } })).toThrow(/Model card version 2 is newer than this @resnet-ts\/zoo reads \(1\)/);
    expect(() => readModelCard({ classNames, normalization: 'imagenet', inputShape: [32, 32, 3] })).toThrow(
      /Invalid model metadata \(no model card\): normalization: Invalid enum value\. Expected 'caffe' \| 'torch' \| 'tf' \| 'unit' \| 'raw', received 'imagenet'/,
    );
    const dense = tf.sequential({ layers: [tf.layers.dense({ inputShape: [10], units: 2 })] });
    expect(() => readModelCard(dense)).toThrow(/inputSize: model .* takes input \[null,10\], not images/);
    dense.dispose();
    expect(tf.memory().numTensors).toBe(0);
  });

  it('records the weights a fine-tuned model started from, and checks the record', () => {
    const start = { spec: 'runs/a', kind: 'run' as const, path: '/work/runs/a/model', sha256: 'ab'.repeat(32), bytes: 1234, skipped: ['predictions'] };
    const card = modelCardFor('resnet18', resnet18, { classNames, weights: { source: 'trained', start } });
    expect(readModelCard({ modelCard: card }).card.weights).toEqual({ source: 'trained', start });
    expect(() => readModelCard({ modelCard: { ...card, weights: { source: 'trained', start: { ...start, sha256: 'abc' } } } })).toThrow(
      /weights\.start\.sha256: expected 64 lowercase hex digits/,
    );
    expect(() => readModelCard({ modelCard: { ...card, weights: { source: 'trained', start: { ...start, kind: 'pt' } } } })).toThrow(/weights\.start\.kind: Invalid enum value/);
  });
});

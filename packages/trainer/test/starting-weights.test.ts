import * as tf from '@tensorflow/tfjs';
import { saveKerasWeights } from '@resnet-ts/zoo';
import { fileIO } from '@resnet-ts/zoo/node';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseRecipe, recipeHash, serializeRecipe, startingNormalization, StartingWeightsError } from '../src/index';
import { loadStartingWeights, resolveStartingWeights } from '../src/node';
import { tinyResNet, weightsOf } from './helpers/models';

let dir: string;
const origin = (kind: 'keras-h5' | 'imagenet' | 'tfjs', card?: { normalization: 'caffe' | 'unit' }) => ({
  spec: 'x',
  kind,
  path: '/w/x',
  ...(card ? { card: { preprocessing: { normalization: card.normalization } } as never } : {}),
});

beforeAll(async () => {
  await tf.setBackend('cpu');
  dir = await mkdtemp(join(tmpdir(), 'starting-weights-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('resolveStartingWeights', () => {
  it('tells the kinds apart: .h5, .safetensors, a tfjs folder or its model.json, a run folder (final model first, else best, else last)', async () => {
    const model = tinyResNet(8, 3);
    await saveKerasWeights(model, join(dir, 'w.h5'));
    await writeFile(join(dir, 'w.safetensors'), '');
    await model.save(fileIO(join(dir, 'tfjs')));
    const run = join(dir, 'run');
    await mkdir(run);
    await writeFile(join(run, 'run.json'), JSON.stringify({ format: 'resnet-ts/run', version: 2, createdAt: '', recipe: {}, classNames: [], recipeHash: '' }));
    await model.save(fileIO(join(run, 'checkpoints', 'last', 'model')));
    const last = await resolveStartingWeights(run, { model: 'resnet18' });
    await model.save(fileIO(join(run, 'checkpoints', 'best', 'model')));
    const best = await resolveStartingWeights(run, { model: 'resnet18' });
    await model.save(fileIO(join(run, 'model')));
    const final = await resolveStartingWeights(run, { model: 'resnet18' });
    model.dispose();
    expect((await resolveStartingWeights(join(dir, 'w.h5'), { model: 'resnet18' })).kind).toBe('keras-h5');
    expect((await resolveStartingWeights(join(dir, 'w.safetensors'), { model: 'resnet18' })).kind).toBe('safetensors');
    expect(await resolveStartingWeights(join(dir, 'tfjs'), { model: 'resnet18' })).toEqual({ spec: join(dir, 'tfjs'), kind: 'tfjs', path: join(dir, 'tfjs') });
    expect((await resolveStartingWeights(join(dir, 'tfjs', 'model.json'), { model: 'resnet18' })).path).toBe(join(dir, 'tfjs', 'model.json'));
    expect([last.path, best.path, final.path]).toEqual([join(run, 'checkpoints', 'last', 'model'), join(run, 'checkpoints', 'best', 'model'), join(run, 'model')]);
    expect(final.kind).toBe('run');
  });

  it('names the path and what it expected when the weights are missing, remote or something else', async () => {
    const refused = (spec: string) => resolveStartingWeights(spec, { model: 'resnet18' }).then(() => 'resolved', (e: Error) => (expect(e).toBeInstanceOf(StartingWeightsError), e.message));
    expect(await refused(join(dir, 'nope.h5'))).toBe(`${join(dir, 'nope.h5')}: no such file or folder (expected a Keras .h5 or .safetensors file, a tfjs model folder or model.json, a run folder (from resnet train or the demo), or imagenet)`);
    expect(await refused('https://example.invalid/w.h5')).toMatch(/read from local files only; download the file and pass its path/);
    await mkdir(join(dir, 'empty'), { recursive: true });
    expect(await refused(join(dir, 'empty'))).toMatch(/empty: neither a run folder \(no run\.json\) nor a tfjs model folder \(no model\.json\)/);
    await writeFile(join(dir, 'w.pt'), '');
    expect(await refused(join(dir, 'w.pt'))).toMatch(/w\.pt: not a weights file this reads/);
  });

  it('resolves imagenet through the injected file function, for the variant and head asked', async () => {
    const asked: unknown[] = [];
    const weights = await resolveStartingWeights('imagenet', {
      model: 'resnet50',
      includeTop: false,
      imagenetWeightsFile: async (variant, options) => (asked.push([variant, options]), join(dir, 'w.h5')),
    });
    expect(weights).toEqual({ spec: 'imagenet', kind: 'imagenet', path: join(dir, 'w.h5') });
    expect(asked).toEqual([['resnet50', { includeTop: false }]]);
    // The default is zoo's download; a variant Keras publishes no weights for fails before any request.
    await expect(resolveStartingWeights('imagenet', { model: 'resnet18' })).rejects.toThrow(/resnet18.*resnet50/s);
    const offline = async () => {
      throw new Error('cannot download https://example.invalid/w.h5');
    };
    await expect(resolveStartingWeights('imagenet', { model: 'resnet50', imagenetWeightsFile: offline })).rejects.toMatchObject({ name: 'StartingWeightsError', message: expect.stringContaining('example.invalid') });
  });
});

describe('loadStartingWeights', () => {
  it('loads, skips a head for other classes, and records the hash of the bytes read', async () => {
    const source = tinyResNet(8, 3, 1);
    await saveKerasWeights(source, join(dir, 'three.h5'));
    const target = tinyResNet(8, 5, 2);
    const before = tf.memory().numTensors;
    const loaded = await loadStartingWeights(target, await resolveStartingWeights(join(dir, 'three.h5'), { model: 'tiny' }), { skipMismatch: true });
    expect(tf.memory().numTensors).toBe(before);
    expect(loaded.record).toEqual({
      spec: join(dir, 'three.h5'),
      kind: 'keras-h5',
      path: join(dir, 'three.h5'),
      sha256: createHash('sha256').update(await readFile(join(dir, 'three.h5'))).digest('hex'),
      bytes: (await readFile(join(dir, 'three.h5'))).length,
      skipped: ['predictions'],
    });
    expect((await weightsOf(target))[0]).toEqual((await weightsOf(source))[0]);
    await expect(loadStartingWeights(tinyResNet(8, 5, 2), await resolveStartingWeights(join(dir, 'three.h5'), { model: 'tiny' }))).rejects.toThrow(
      /Layer predictions: expected kernel \[8,5\], file has \[8,3\] \(skipMismatch \/ --skip-mismatch to ignore\)/,
    );
    source.dispose();
    target.dispose();
  });

  it('refuses weights that fit no layer at all, even with skipMismatch', async () => {
    // Only a 'predictions' layer, of another shape: matched by name, every layer is skipped.
    const other = tf.sequential({ name: 'other', layers: [tf.layers.dense({ inputShape: [4], units: 2, name: 'predictions' })] });
    await saveKerasWeights(other, join(dir, 'other.h5'));
    other.dispose();
    const model = tinyResNet(8, 3);
    await expect(loadStartingWeights(model, await resolveStartingWeights(join(dir, 'other.h5'), { model: 'tiny' }), { skipMismatch: true })).rejects.toThrow(
      /no layer of model "tiny_resnet" took weights from it .*is it the same architecture\?/,
    );
    model.dispose();
  });
});

describe('startingNormalization: preprocessing travels with the weights', () => {
  const options = { model: 'resnet50', fallback: 'unit' as const };
  it('takes a model card\'s normalization and refuses another', () => {
    expect(startingNormalization(origin('tfjs', { normalization: 'unit' }), options).normalization).toBe('unit');
    expect(() => startingNormalization(origin('tfjs', { normalization: 'unit' }), { ...options, requested: 'caffe' })).toThrow(
      'normalization "caffe" is not the "unit" that the starting weights (model card of /w/x) expect; leave the normalization out to use theirs',
    );
  });

  it("gives the Keras ImageNet weights Keras's preprocess_input mode: caffe for v1, tf for v2", () => {
    expect(startingNormalization(origin('imagenet'), options)).toEqual({ normalization: 'caffe', reason: 'the Keras ImageNet weights of resnet50 (preprocess_input mode "caffe")' });
    expect(startingNormalization(origin('imagenet'), { ...options, model: 'resnet50v2' }).normalization).toBe('tf');
    expect(() => startingNormalization(origin('imagenet'), { ...options, requested: 'unit' })).toThrow(/"unit" is not the "caffe" that the Keras ImageNet weights of resnet50/);
  });

  it('without a card: what was asked, else the registry default, else the fallback, and says which', () => {
    expect(startingNormalization(origin('keras-h5'), { ...options, requested: 'unit' })).toEqual({ normalization: 'unit', reason: 'as asked (the starting weights have no model card)' });
    expect(startingNormalization(origin('keras-h5'), { ...options, model: 'resnet18' })).toEqual({
      normalization: 'torch',
      reason: "resnet18's registry default (the starting weights have no model card)",
    });
    expect(startingNormalization(origin('keras-h5'), { ...options, model: 'mine' }).normalization).toBe('unit');
  });
});

describe('model.weights and model.skipMismatch in the recipe', () => {
  it('parses, serializes and hashes them; a recipe without skipMismatch keeps its hash', () => {
    const recipe = parseRecipe({ model: { weights: '/w/run', skipMismatch: true } });
    expect(recipe.model).toMatchObject({ weights: '/w/run', skipMismatch: true });
    expect(parseRecipe(JSON.parse(serializeRecipe(recipe)))).toEqual(recipe);
    expect(recipeHash(recipe)).not.toBe(recipeHash({ model: { weights: '/w/run' } }));
    expect(recipeHash({ model: { weights: '/w/run' } })).not.toBe(recipeHash({}));
    expect('skipMismatch' in parseRecipe({}).model).toBe(false);
    expect(() => parseRecipe({ model: { skipMismatch: 'yes' } })).toThrow(/model\.skipMismatch: /);
  });
});

import { describe, expect, it } from 'vitest';
import {
  listOptimizers,
  listSchedules,
  mergeRecipes,
  parseRecipe,
  RECIPE_PRESETS,
  RecipeError,
  resolveTrainConfig,
  serializeRecipe,
  TRAIN_DEFAULTS,
  type RecipeInput,
  type RecipeLayer,
} from '../src/index';

/** The message parseRecipe throws for `input`, or the parsed recipe when it does not throw. */
function problem(input: unknown, source?: string): string {
  try {
    parseRecipe(input, source);
  } catch (error) {
    expect(error).toBeInstanceOf(RecipeError);
    return (error as Error).message;
  }
  throw new Error(`parsed without an error: ${JSON.stringify(input)}`);
}

describe('recipe defaults', () => {
  it('fills every default: the notebook run (ResNet50, 64x64, Adam 1e-3, batch 32, 20 epochs) on synthetic shapes', () => {
    expect(parseRecipe({})).toEqual({
      format: 'resnet-ts/recipe',
      version: 1,
      model: { name: 'resnet50', zeroInitResidual: true, seed: 0, weights: null },
      data: {
        kind: 'synthetic',
        imageSize: [64, 64],
        normalization: 'unit',
        augmentation: false,
        seed: 0,
        valFraction: 0.2,
        synthetic: { classes: 6, trainCount: 1000, valCount: 200, difficulty: 'easy' },
      },
      training: {
        epochs: 20,
        batchSize: 32,
        lr: 1e-3,
        optimizer: { type: 'adam' },
        schedule: { type: 'constant' },
        weightDecay: 0,
        labelSmoothing: 0,
        clipNorm: 0,
        seed: 0,
        shuffle: true,
        augment: true,
        dropRemainder: false,
        monitor: 'val_loss',
        earlyStopping: false,
        checkpointEverySteps: 0,
        preciseBnBatches: 8,
        ema: { decay: 0.999, every: 8, warmup: true },
      },
    });
  });

  it('has one set of training defaults: TRAIN_DEFAULTS and resolveTrainConfig({}) are the recipe training section', () => {
    expect(TRAIN_DEFAULTS).toEqual(parseRecipe({}).training);
    expect(resolveTrainConfig({})).toEqual(TRAIN_DEFAULTS);
  });

  it('fills synthetic settings only for synthetic data, and keeps what a file source gives', () => {
    const data = parseRecipe({ data: { kind: 'folder', path: 'signs', workers: 2, classNames: ['a', 'b'] } }).data;
    expect(data).toEqual({ kind: 'folder', path: 'signs', imageSize: [64, 64], normalization: 'unit', augmentation: false, seed: 0, valFraction: 0.2, workers: 2, classNames: ['a', 'b'] });
    expect(parseRecipe({ data: null }).data).toBeNull();
  });

  it('quickstart preset: the no-data CLI run (32x32 easy shapes, 768/96 images, 4 epochs, clip 1; precise BN 8 as by default)', () => {
    const recipe = parseRecipe(mergeRecipes(RECIPE_PRESETS.quickstart, { training: { epochs: 2 } }));
    expect(recipe.data).toMatchObject({ kind: 'synthetic', imageSize: [32, 32], synthetic: { classes: 6, trainCount: 768, valCount: 96, difficulty: 'easy' } });
    expect(recipe.training).toMatchObject({ epochs: 2, batchSize: 32, lr: 1e-3, clipNorm: 1, preciseBnBatches: 8 });
  });

  it('accepts every registered optimizer and schedule, with its settings', () => {
    expect(listOptimizers()).toEqual(expect.arrayContaining(['adam', 'sgd', 'rmsprop']));
    const training: RecipeInput['training'] = {
      optimizer: { type: 'sgd', momentum: 0.9, nesterov: true },
      schedule: { type: 'plateau', monitor: 'val_accuracy', mode: 'max', factor: 0.5, patience: 2 },
      earlyStopping: { patience: 3, restoreBest: false },
      ema: { decay: 0.99 },
      transfer: { freezeBackbone: true, unfreezeFrom: 'conv5_', unfreezeEpoch: 2 },
      metadata: { note: 'kept as given' },
    };
    expect(parseRecipe({ training }).training).toMatchObject(training!);
    for (const type of listSchedules().filter((t) => t !== 'step')) expect(parseRecipe({ training: { schedule: { type } } }).training.schedule).toEqual({ type });
  });
});

describe('recipe errors name the key path and the allowed values', () => {
  it.each<[string, unknown, string]>([
    ['an unregistered optimizer', { training: { optimizer: { type: 'nadam' } } }, `training.optimizer.type: "nadam" is not one of ${listOptimizers().join(', ')}`],
    ['an optimizer without a type', { training: { optimizer: { momentum: 0.9 } } }, `training.optimizer.type: required (one of ${listOptimizers().join(', ')})`],
    ['a setting of another optimizer', { training: { optimizer: { type: 'adam', momentum: 0.9 } } }, 'training.optimizer.momentum: not a setting of optimizer "adam" (its settings: beta1, beta2, epsilon)'],
    ['an unregistered schedule', { training: { schedule: { type: 'linear' } } }, `training.schedule.type: "linear" is not one of ${listSchedules().join(', ')}`],
    ['a step schedule without its interval', { training: { schedule: { type: 'step' } } }, 'training.schedule.everyEpochs: required (a number)'],
    ['a number written as a string', { training: { epochs: '2' } }, 'training.epochs: expected a number, got "2"'],
    ['a fractional count', { training: { batchSize: 2.5 } }, 'training.batchSize: expected an integer, got 2.5'],
    ['zero epochs', { training: { epochs: 0 } }, 'training.epochs: must be >= 1, got 0'],
    ['a negative learning rate', { training: { lr: -1 } }, 'training.lr: must be > 0, got -1'],
    ['label smoothing of 1', { training: { labelSmoothing: 1 } }, 'training.labelSmoothing: must be < 1, got 1'],
    ['an unknown training key', { training: { epoch: 3 } }, 'training.epoch: not a key of training (its keys: epochs, batchSize, lr, optimizer,'],
    ['an unknown section', { traning: {} }, 'traning: not a key of a recipe (its keys: format, version, model, data, training)'],
    ['an unknown metric', { training: { monitor: 'val_acc' } }, 'training.monitor: "val_acc" is not one of val_loss, val_accuracy, val_top5, loss, accuracy, top5'],
    ['a bad EMA decay', { training: { ema: { decay: 2 } } }, 'training.ema.decay: must be < 1, got 2'],
    ['EMA neither off nor settings', { training: { ema: 'yes' } }, 'training.ema: expected false or a mapping, got "yes"'],
    ['an unknown early-stopping key', { training: { earlyStopping: { wait: 3 } } }, 'training.earlyStopping.wait: not a key of training.earlyStopping (its keys: monitor, mode, patience, minDelta, restoreBest)'],
    ['an unknown data kind', { data: { kind: 'zip' } }, 'data.kind: "zip" is not one of synthetic, folder, csv, hdf5, memory'],
    ['a folder without a path', { data: { kind: 'folder' } }, 'data.path: required for kind folder'],
    ['a path for synthetic data', { data: { path: 'signs' } }, 'data.path: kind synthetic reads no path (kinds with a path: folder, csv, hdf5)'],
    ['synthetic settings for a CSV', { data: { kind: 'csv', path: 'a.csv', synthetic: {} } }, 'data.synthetic: only for kind synthetic, not csv'],
    ['an unknown normalization', { data: { normalization: 'imagenet' } }, 'data.normalization: "imagenet" is not one of caffe, torch, tf, unit, raw'],
    ['one image dimension', { data: { imageSize: [64] } }, 'data.imageSize: expected 2 values, got a list of 1'],
    ['a fractional image size', { data: { imageSize: [64, 64.5] } }, 'data.imageSize[1]: expected an integer, got 64.5'],
    ['an unknown difficulty', { data: { synthetic: { difficulty: 'extreme' } } }, 'data.synthetic.difficulty: "extreme" is not one of easy, normal, hard'],
    ['a bad augmentation setting', { data: { augmentation: { mixup: { alpha: -1 } } } }, 'data.augmentation.mixup.alpha: must be > 0, got -1'],
    ['weights that are not a path', { model: { weights: 3 } }, 'model.weights: expected a string, got 3'],
    ['an empty model name', { model: { name: '' } }, 'model.name: must not be empty'],
    ['a newer recipe version', { version: 2 }, 'version: must be 1, got 2'],
    ['another format', { format: 'keras' }, 'format: must be "resnet-ts/recipe", got "keras"'],
    ['a section that is not a mapping', { training: 5 }, 'training: expected a mapping, got 5'],
  ])('%s', (_what, input, message) => {
    expect(problem(input)).toContain(message);
  });

  it('prefixes the source and lists every issue', () => {
    expect(problem({ training: { epochs: 0, lr: 0 } }, 'signs.yaml')).toBe('signs.yaml: training.epochs: must be >= 1, got 0; training.lr: must be > 0, got 0');
    const issues = (() => {
      try {
        parseRecipe({ training: { epochs: 0 }, data: { kind: 'zip' } });
      } catch (error) {
        return (error as RecipeError).issues;
      }
    })();
    expect(issues?.map((i) => i.path)).toEqual([['data', 'kind'], ['training', 'epochs']]);
  });

  it('resolveTrainConfig names training.<key> and ignores the other options of train()', () => {
    expect(() => resolveTrainConfig({ epochs: 0 })).toThrow('training.epochs: must be >= 1, got 0');
    expect(resolveTrainConfig({ epochs: 3, model: {}, callbacks: [] } as never).epochs).toBe(3);
  });
});

describe('mergeRecipes and serializeRecipe', () => {
  it('layers later over earlier: mappings by key, a spec of another type afresh, undefined removes', () => {
    const file: RecipeInput = { data: { kind: 'folder', path: 'signs', imageSize: [96, 96] }, training: { optimizer: { type: 'sgd', momentum: 0.9 }, epochs: 5 } };
    const flags: RecipeLayer = { data: { kind: 'synthetic', path: undefined }, training: { optimizer: { type: 'adam' }, lr: 0.01 } };
    const before = structuredClone(file);
    expect(mergeRecipes(RECIPE_PRESETS.quickstart, file, flags)).toEqual({
      data: { kind: 'synthetic', imageSize: [96, 96], synthetic: { trainCount: 768, valCount: 96, difficulty: 'easy' } },
      training: { epochs: 5, clipNorm: 1, optimizer: { type: 'adam' }, lr: 0.01 },
    });
    expect(file).toEqual(before);
    expect(mergeRecipes({ training: { optimizer: { type: 'sgd' } } }, { training: { optimizer: { momentum: 0.5 } } })).toEqual({
      training: { optimizer: { type: 'sgd', momentum: 0.5 } },
    });
  });

  it('serializes to JSON that parses back to the same recipe', () => {
    const input: RecipeInput = { model: { name: 'resnet18' }, data: { kind: 'csv', path: 'a.csv' }, training: { schedule: { type: 'cosine', warmupEpochs: 1 } } };
    const text = serializeRecipe(input);
    expect(text.startsWith('{\n  "format": "resnet-ts/recipe",\n  "version": 1,\n  "model"')).toBe(true);
    expect(parseRecipe(JSON.parse(text))).toEqual(parseRecipe(input));
  });
});

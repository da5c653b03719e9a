import { z } from 'zod';
import { metricName } from './metrics';
import { nonNegative, nonNegativeInt, offOr, openFraction, positive, positiveInt, seed, strictObject, unitInterval } from './fields';
import { optimizerSpec } from './optimizer';
import { scheduleSpec } from './schedule';

/** `training.earlyStopping` (Keras EarlyStopping; see `EarlyStoppingOptions`). */
const earlyStopping = strictObject(
  {
    /** Default `val_loss` (falls back to `loss` without validation data). */
    monitor: metricName().optional(),
    /** Default: `max` for accuracy-like names, else `min`. */
    mode: z.enum(['min', 'max']).optional(),
    /** Epochs without improvement before stopping. Default 5. */
    patience: nonNegativeInt().optional(),
    /** Smallest change that counts as improvement. Default 0. */
    minDelta: nonNegative().optional(),
    /** Put back the weights of the best epoch when stopping or finishing. Default true. */
    restoreBest: z.boolean().optional(),
  },
  'training.earlyStopping',
);

/**
 * `training.ema`: an exponential moving average of the weights. A field an `ema` section leaves
 * out keeps its meaning of 0.1 (every step, no warmup), so recorded runs resume unchanged; a
 * recipe without the section gets {@link DEFAULT_EMA}.
 */
export const emaSettings = strictObject(
  {
    /** The decay per optimizer step. Default 0.999. */
    decay: openFraction().optional(),
    /**
     * Fold the weights in every this many optimizer steps, at `decay ** every` (the same rate per
     * step; torchvision's `--model-ema-steps`): an update reads every weight, so this divides its cost. Default 1.
     */
    every: positiveInt().optional(),
    /** timm's EMA warmup: per-step decay `min(decay, 1 - (1 + step) ** -0.75)`, for runs too short to forget their start. Default false. */
    warmup: z.boolean().optional(),
    /** Validate with the averaged weights. Default true. */
    evaluate: z.boolean().optional(),
    /** Leave the averaged weights in the model when training ends. Default true. */
    applyAtEnd: z.boolean().optional(),
  },
  'training.ema',
);

/**
 * The weight EMA of a recipe that does not set `training.ema`: timm's warmup (a short run is not
 * pulled back to its start: after 100 steps the decay is 0.97, from about 10k steps 0.999), updated
 * every 8 steps (an eighth of the cost: on ResNet50 an update reads 200 MB and writes 100 MB). On the
 * notebook's SIGNS run it lifts validation from 92.6 % to 95.4 %.
 */
export const DEFAULT_EMA = Object.freeze({ decay: 0.999, every: 8, warmup: true });

/** `training.transfer.cacheFeatures` (see `FeatureCacheOptions`). */
const cacheFeatures = strictObject(
  {
    /** Feature copies per training image, copy k under the data's augmentation of epoch k. Default 1. */
    augmentedCopies: positiveInt().optional(),
  },
  'training.transfer.cacheFeatures',
);

/** `training.transfer` (see `TransferOptions`): train the head first, then unfreeze from a stage. */
const transfer = strictObject(
  {
    /** Freeze every layer before the head at the start. */
    freezeBackbone: z.boolean().optional(),
    /** Name prefix of the first head layer. Default: the last layer that has weights (the classifier). */
    headFrom: z.string().min(1).optional(),
    /** At `unfreezeEpoch`, make every layer from the first one named with this prefix trainable. */
    unfreezeFrom: z.string().min(1).optional(),
    /** 0-based epoch at which `unfreezeFrom` takes effect. Default 0 when only `unfreezeFrom` is set. */
    unfreezeEpoch: nonNegativeInt().optional(),
    /** Multiplies the learning rate of the layers before the head (e.g. 0.1 for pretrained ones). Default 1. */
    backboneLrScale: z.number().gt(0).max(1).optional(),
    /**
     * With `freezeBackbone`: compute the backbone's pooled features once per image (and augmented
     * copy) and train the head on them (with `unfreezeFrom`: until `unfreezeEpoch`, then the full
     * model on images). `true` is `{ augmentedCopies: 1 }`. Default: off.
     */
    cacheFeatures: z.union([z.boolean(), cacheFeatures]).optional(),
  },
  'training.transfer',
).superRefine((transfer, ctx) => {
  const issue = (path: string, message: string) => ctx.addIssue({ code: z.ZodIssueCode.custom, path: [path], message });
  if (transfer.unfreezeEpoch !== undefined && transfer.unfreezeFrom === undefined) issue('unfreezeEpoch', 'needs unfreezeFrom (the layer prefix to unfreeze, e.g. conv5_)');
  // Before unfreezeEpoch the layers train as without transfer settings: all of them, unless frozen.
  if ((transfer.unfreezeEpoch ?? 0) > 0 && transfer.freezeBackbone !== true) {
    issue('unfreezeEpoch', `before epoch ${transfer.unfreezeEpoch} every layer would train: set freezeBackbone to train only the head until then`);
  }
  if (!transfer.cacheFeatures) return;
  // Features are computed once: they stay valid only while the whole backbone stays frozen.
  if (!transfer.freezeBackbone) issue('cacheFeatures', 'caches features of a frozen backbone: set training.transfer.freezeBackbone (--freeze-backbone) too');
  // Epochs before unfreezeEpoch train the head on the cache; from it on the run trains on images.
  if (transfer.unfreezeFrom !== undefined && (transfer.unfreezeEpoch ?? 0) === 0) {
    issue('cacheFeatures', 'with training.transfer.unfreezeFrom (--unfreeze-from) the cache trains the head only before unfreezeEpoch: set training.transfer.unfreezeEpoch (--unfreeze-epoch) to 1 or more');
  }
});

/**
 * The recipe's `training` section: the JSON-serializable settings of `train()`, saved with every
 * checkpoint so `resume` continues with exactly the same settings. Defaults follow the notebook
 * (Adam at 1e-3, batch 32, 20 epochs, categorical cross-entropy, no augmentation configured).
 */
export const trainingSection = strictObject(
  {
    /** Default 20. */
    epochs: positiveInt().default(20),
    /** Default 32. */
    batchSize: positiveInt().default(32),
    /** Base (peak) learning rate. Default 1e-3 (Keras Adam). */
    lr: positive().default(1e-3),
    /** Default `{ type: 'adam' }`. */
    optimizer: optimizerSpec.default(() => ({ type: 'adam' as const })),
    /** Default `{ type: 'constant' }`. */
    schedule: scheduleSpec.default(() => ({ type: 'constant' as const })),
    /** Decoupled weight decay (AdamW/SGDW); not applied to biases and BatchNorm. Default 0. */
    weightDecay: nonNegative().default(0),
    /** Default 0. */
    labelSmoothing: unitInterval().default(0),
    /** Clip gradients to this global L2 norm; 0 = off. Default 0. */
    clipNorm: nonNegative().default(0),
    /** Recorded with the run; data order comes from the dataset's own seed and the epoch. Default 0. */
    seed: seed().default(0),
    /** Default true. */
    shuffle: z.boolean().default(true),
    /**
     * Apply the dataset's training augmentation (a switch: what augmentation means is the data's
     * `augmentation`, off by default). Default true.
     */
    augment: z.boolean().default(true),
    /** Drop the last incomplete batch of each epoch. Default false. */
    dropRemainder: z.boolean().default(false),
    /** Train at most this many batches per epoch (a step budget). Default: all. */
    maxStepsPerEpoch: positiveInt().optional(),
    /** Validate on at most this many batches. Default: all. */
    maxValBatches: positiveInt().optional(),
    /** Metric that picks the best checkpoint. Default `val_loss`. */
    monitor: metricName().default('val_loss'),
    /** Default: off. */
    earlyStopping: offOr(earlyStopping).default(false),
    /** Also write the `last` checkpoint every this many steps (mid-epoch). Default 0: epoch ends only. */
    checkpointEverySteps: nonNegativeInt().default(0),
    /**
     * At each epoch's validation (also when there is no validation data), recompute the
     * statistics of every BatchNorm layer that trains as the average over this many training
     * batches ("precise BN", on by default as in pycls). Keras's moving averages (momentum 0.99)
     * lag the weights by about a hundred steps: on the notebook's SIGNS run they left validation
     * at 14-48 % accuracy for 19 of 20 epochs, where the same run with precise BN validated at
     * 75-94 %. Frozen layers keep theirs. Default 8; 0: off (the layers' own moving averages).
     */
    preciseBnBatches: nonNegativeInt().default(8),
    /**
     * Keep an exponential moving average of the weights, validate with it and leave it in the
     * model at the end. Default {@link DEFAULT_EMA}; `false`: off.
     */
    ema: offOr(emaSettings).default(() => ({ ...DEFAULT_EMA })),
    transfer: transfer.optional(),
    /** Free-form, JSON-serializable data stored with the run. */
    metadata: z.record(z.unknown()).optional(),
  },
  'training',
);

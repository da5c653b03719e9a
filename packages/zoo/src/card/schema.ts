import { z } from 'zod';
import { MODEL_CARD_NORMALIZATIONS } from './normalizations';

export const MODEL_CARD_FORMAT = 'resnet-ts/model-card';
export const MODEL_CARD_VERSION = 1;

/** Where a model's weights came from (`safetensors`: a torchvision/timm state dict). */
export const WEIGHT_SOURCES = ['random', 'trained', 'keras-h5', 'safetensors', 'tfjs', 'imagenet', 'unknown'] as const;

const positiveInteger = z.number().int().positive();

/**
 * One weight shard of a tfjs model folder as it was written: its manifest path, byte length and
 * SHA-256 (lower-case hex, what `sha256sum` prints), so a loader notices a corrupt, swapped or
 * duplicated shard before building the model.
 */
export const shardChecksumSchema = z.object({
  path: z.string().min(1),
  bytes: z.number().int().nonnegative(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/, 'expected 64 lower-case hex digits'),
});

/** A model card's shard checksums (`weights.shards`). */
export type ShardChecksum = z.infer<typeof shardChecksumSchema>;

/**
 * What fine-tuning started from: a Keras .h5 or .safetensors file, a tfjs model folder, a training
 * run's model, or the Keras ImageNet weights.
 */
export const STARTING_WEIGHT_KINDS = ['keras-h5', 'safetensors', 'tfjs', 'run', 'imagenet'] as const;

/** `weights.start`: the weights a trained model started from, so readers know where it came from. */
const startingWeights = z.object({
  /** As it was asked for: a path, or `imagenet`. */
  spec: z.string().min(1),
  kind: z.enum(STARTING_WEIGHT_KINDS),
  /** The file or tfjs model folder read (absolute when it was written). */
  path: z.string().min(1),
  /** SHA-256 (hex) of the bytes read: the file, or a tfjs folder's model.json then its shards in manifest order. */
  sha256: z.string().regex(/^[0-9a-f]{64}$/, 'expected 64 lowercase hex digits'),
  /** Bytes read. */
  bytes: z.number().int().nonnegative(),
  /** Model layers that kept their initial weights (a new head under `skipMismatch`). */
  skipped: z.array(z.string()),
});

/** The `ResNetOptions` that rebuild the architecture (`createModel(name, { inputShape: inputSize, ...options })`). */
const architectureOptions = z.object({
  includeTop: z.boolean(),
  /** Global pooling of a headless model ('avg' | 'max'); absent: the 4D feature map. */
  pooling: z.enum(['avg', 'max']).optional(),
  classes: positiveInteger,
  classifierActivation: z
    .enum(['softmax', 'sigmoid'], { errorMap: (_issue, ctx) => ({ message: `expected 'softmax', 'sigmoid' or null (logits), got ${JSON.stringify(ctx.data)}` }) })
    .nullable(),
  zeroInitResidual: z.boolean(),
});

/**
 * The model card, version 1: what a reader needs to use a model correctly, travelling with it
 * (tfjs `userDefinedMetadata.modelCard`, ONNX `metadata_props` key `model_card`).
 */
export const modelCardSchema = z
  .object({
    format: z.literal(MODEL_CARD_FORMAT),
    version: z.literal(MODEL_CARD_VERSION),
    architecture: z.object({
      /** Registry name (`resnet50`), or the model's own name when it was not built from the registry. */
      name: z.string().min(1),
      /** Absent when unknown (a model read from older metadata). */
      options: architectureOptions.optional(),
    }),
    /** `[height, width, channels]` of one input image. */
    inputSize: z.tuple([positiveInteger, positiveInteger, positiveInteger]),
    /** Label of each output index; absent: none known (readers show class indices). */
    classNames: z.array(z.string()).optional(),
    preprocessing: z.object({
      /** Pixel normalisation to apply to 0..255 RGB input (a `@resnet-ts/data` preset name). */
      normalization: z.enum(MODEL_CARD_NORMALIZATIONS),
      /** Centre-crop fraction for evaluation (timm's `crop_pct`; 1: the whole image). */
      cropPct: z.number().gt(0).lte(1),
      /** Resize interpolation. */
      interpolation: z.enum(['bilinear', 'nearest']),
    }),
    weights: z.object({
      source: z.enum(WEIGHT_SOURCES),
      /** File the weights were read from (its name), when they came from a file. */
      path: z.string().optional(),
      url: z.string().optional(),
      note: z.string().optional(),
      /**
       * The shards of the tfjs model folder this card was saved in, written by `fileIO` and
       * checked (then dropped: they describe those files, not the model) when the folder loads.
       * Absent in cards written before 0.2 and in other formats.
       */
      shards: z.array(shardChecksumSchema).optional(),
      /** For fine-tuned weights (`source: 'trained'`): the weights training started from. */
      start: startingWeights.optional(),
    }),
    /** Hash of the training recipe that produced the weights, when known. */
    recipeHash: z.string().min(1).optional(),
  })
  .superRefine((card, ctx) => {
    const options = card.architecture.options;
    if (options?.includeTop && card.classNames && card.classNames.length !== options.classes) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['classNames'],
        message: `names ${card.classNames.length} classes, architecture.options.classes is ${options.classes}`,
      });
    }
  });

/** A model card (see `modelCardSchema` for the fields). */
export type ModelCard = z.infer<typeof modelCardSchema>;
/** `weights.start` of a model card: the weights a fine-tuned model started from. */
export type StartingWeightsRecord = z.infer<typeof startingWeights>;
export type StartingWeightKind = (typeof STARTING_WEIGHT_KINDS)[number];

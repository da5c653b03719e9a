import { z } from 'zod';
import { seed, strictObject } from './fields';

/** The recipe's `model` section: which registry model to build and how (its classes come from the data). */
export const modelSection = strictObject(
  {
    /** Name in the model registry (`listModels()`, `resnet models`). Default `resnet50`, the notebook's. */
    name: z.string().min(1).default('resnet50'),
    /**
     * Start every residual branch at zero (timm's `zero_init_last`). Default true: from-scratch
     * ResNets learn much faster in their first steps (the builder's own default is Keras's false).
     */
    zeroInitResidual: z.boolean().default(true),
    /** Seed of the weight initialisation. Default 0. */
    seed: seed().default(0),
    /**
     * Starting weights: a Keras .h5 or .safetensors file, a tfjs model folder or model.json, a run
     * folder (its final model, else its best checkpoint, else its last), or `imagenet`; null:
     * random initialisation. Default null.
     */
    weights: z.string().min(1).nullable().default(null),
    /** Leave layers the starting weights do not fit (a head for other classes) at their initial weights. Default false. */
    skipMismatch: z.boolean().optional(),
  },
  'model',
);

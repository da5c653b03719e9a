import type { AugmentationOptions } from '@resnet-ts/data';
import { z } from 'zod';
import { nonNegative, offOr, positive, probability, strictObject } from './fields';

const range = () => z.tuple([positive(), positive()]);
const mixing = (what: string) => strictObject({ alpha: positive(), probability: probability().optional() }, what);

/** `data.augmentation` as an object (see `AugmentationOptions` of @resnet-ts/data for the defaults). */
export const augmentationSettings = strictObject(
  {
    horizontalFlip: z.boolean().optional(),
    randomResizedCrop: offOr(strictObject({ scale: range().optional(), ratio: range().optional() }, 'data.augmentation.randomResizedCrop')).optional(),
    rotationDegrees: nonNegative().optional(),
    colorJitter: offOr(
      strictObject(
        { brightness: nonNegative().optional(), contrast: nonNegative().optional(), saturation: nonNegative().optional() },
        'data.augmentation.colorJitter',
      ),
    ).optional(),
    mixup: offOr(mixing('data.augmentation.mixup')).optional(),
    cutmix: offOr(mixing('data.augmentation.cutmix')).optional(),
  },
  'data.augmentation',
) satisfies z.ZodType<AugmentationOptions>;

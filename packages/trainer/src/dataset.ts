import type { Batch, BatchOptions, ImageDataset } from '@resnet-ts/data';

export type { Batch, BatchOptions };

/**
 * What the trainer needs from a dataset: the structural subset of `@resnet-ts/data`'s
 * `ImageDataset`, so in-memory test sets and other sources fit too. Batch order and augmentation
 * must be a pure function of (dataset seed, epoch, batch index) for resumed runs to match
 * uninterrupted ones.
 */
export type TrainingDataset = Pick<ImageDataset, 'classNames' | 'size' | 'imageShape' | 'batches'>;

export function batchesPerEpoch(size: number, batchSize: number, dropRemainder: boolean): number {
  return dropRemainder ? Math.floor(size / batchSize) : Math.ceil(size / batchSize);
}

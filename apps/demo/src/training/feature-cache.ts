/**
 * Teachable Machine's way: with a frozen pretrained backbone each image's pooled features are
 * computed once, when the image is added (or when the start changes), so training the head only
 * reads them. The trainer's `computeFeatureTable` runs the backbone; this keeps the result per image.
 */
import type { NormalizationPreset } from '@resnet-ts/data';
import { browserImageDataset } from '@resnet-ts/data/browser';
import { computeFeatureTable, type FeatureTable } from '@resnet-ts/trainer';
import type * as tf from '@tensorflow/tfjs';

/** Images per backbone call while caching. */
const BATCH = 16;

export interface FeatureCacheOptions {
  imageSize: number;
  normalization: NormalizationPreset;
}

export class FeatureCache {
  /** Keyed by the image itself: a removed image's features go with it. */
  private readonly features = new WeakMap<Blob, Float32Array>();
  /** Runs one computation at a time, in the order images were added. */
  private queue: Promise<void> = Promise.resolve();
  readonly featureSize: number;

  constructor(
    private readonly backbone: tf.LayersModel,
    private readonly options: FeatureCacheOptions,
  ) {
    this.featureSize = (backbone.outputs[0].shape as number[])[1];
  }

  has(image: Blob): boolean {
    return this.features.has(image);
  }

  /** Computes the features of the images that have none yet; resolves when all of them have. */
  add(images: readonly Blob[]): Promise<void> {
    const run = this.queue.then(() => this.compute(images.filter((image) => !this.features.has(image))));
    // A failed batch must not block the next one; its error goes to this call's caller.
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async compute(images: Blob[]): Promise<void> {
    if (images.length === 0) return;
    const size = this.options.imageSize;
    const dataset = browserImageDataset(
      images.map((source) => ({ source, label: 0 })),
      ['image'],
      { imageSize: [size, size], normalization: this.options.normalization, training: false },
    );
    try {
      const table = await computeFeatureTable(this.backbone, dataset, { batchSize: BATCH, shuffle: false, augment: false, what: 'your images' });
      images.forEach((image, i) => this.features.set(image, table.features.slice(i * this.featureSize, (i + 1) * this.featureSize)));
    } finally {
      await dataset.dispose();
    }
  }

  /** The cached features of `items` as one table (computing what is missing first). */
  async table(items: readonly { source: Blob; label: number }[]): Promise<FeatureTable> {
    await this.add(items.map((item) => item.source));
    const features = new Float32Array(items.length * this.featureSize);
    items.forEach((item, i) => features.set(this.features.get(item.source)!, i * this.featureSize));
    return { features, labels: Int32Array.from(items, (item) => item.label), featureSize: this.featureSize, rowsPerCopy: items.length, copies: 1 };
  }
}

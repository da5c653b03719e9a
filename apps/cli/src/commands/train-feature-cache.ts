import { Option, type Command } from 'commander';
import type { TrainerCallback } from '@resnet-ts/trainer';
import { UsageError } from '../errors';
import { positiveInteger } from '../options';

/** `--cache-features` and `--augmented-copies`: frozen-backbone feature caching (training.transfer.cacheFeatures). */
export function addFeatureCacheOptions(command: Command): Command {
  return command
    .option('--cache-features', 'with --freeze-backbone: compute the backbone\'s pooled features once and train the head on them (fast)')
    .addOption(
      new Option('--augmented-copies <n>', 'with --cache-features: feature copies per image, copy k under the augmentation of epoch k (default 1)').argParser(positiveInteger),
    );
}

/**
 * Folds `augmentedCopies` into `cacheFeatures` (`{ augmentedCopies }`), so the two flags (or flat
 * config keys) set one recipe value whatever their order.
 */
export function combineFeatureCacheSettings(settings: Readonly<Record<string, unknown>>, where: string): Record<string, unknown> {
  const { cacheFeatures, augmentedCopies, ...rest } = settings;
  if (augmentedCopies === undefined) return cacheFeatures === undefined ? rest : { ...rest, cacheFeatures };
  if (cacheFeatures !== true) throw new UsageError(`${where}--augmented-copies counts cached features: add --cache-features (with --freeze-backbone)`);
  return { ...rest, cacheFeatures: { augmentedCopies } };
}

/** The start-up line of a run that caches features: how many, how big, how long it took. */
export function featureCacheReport(log: (line: string) => void): TrainerCallback {
  return {
    onTrainBegin(logs) {
      const cache = logs.featureCache;
      if (!cache) return;
      log(
        `cached ${cache.rows} backbone features of ${cache.featureSize} floats (${cache.images} training images x ${cache.copies} ` +
          `cop${cache.copies === 1 ? 'y' : 'ies'}, plus validation; ${(cache.bytes / 2 ** 20).toFixed(1)} MiB) in ${cache.seconds.toFixed(1)} s`,
      );
    },
  };
}

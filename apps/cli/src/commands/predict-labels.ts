import { imagenetClassIndex, loadClassIndex } from '@resnet-ts/zoo';
import { UsageError } from '../errors';

/** The flag that named the classes, for errors about them. */
export interface LabelsChoice {
  flag: string;
  classNames: string[];
}

/**
 * The class names `resnet predict` labels outputs with: `--class-names a,b,c`, or `--labels
 * imagenet` (the 1000 ImageNet classes shipped with zoo, Keras's names) or `--labels <file>` (a
 * class index in Keras's imagenet_class_index.json shape). None: the model card's.
 */
export async function resolveLabels(flags: { labels?: string; classNames?: string }): Promise<LabelsChoice | undefined> {
  if (flags.labels !== undefined && flags.classNames !== undefined) {
    throw new UsageError('--labels and --class-names both name the classes; pass one of them');
  }
  if (flags.classNames !== undefined) return { flag: '--class-names', classNames: flags.classNames.split(',').map((s) => s.trim()) };
  if (flags.labels === undefined) return undefined;
  const flag = `--labels ${flags.labels}`;
  if (flags.labels === 'imagenet') return { flag, classNames: imagenetClassIndex().entries.map((e) => e.name) };
  const index = await loadClassIndex(flags.labels).catch((error: Error) => {
    throw new UsageError(`--labels: ${error.message} (pass 'imagenet' or a class index JSON like {"0": ["n01440764", "tench"], ...})`);
  });
  return { flag, classNames: index.entries.map((e) => e.name) };
}

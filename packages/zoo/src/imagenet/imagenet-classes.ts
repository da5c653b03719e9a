import type { ParsedClassIndex } from './class-index';
import { IMAGENET_CLASS_LINES } from './imagenet-classes.data';

let parsed: ParsedClassIndex | undefined;

/**
 * The ImageNet class index shipped with zoo: Keras's `imagenet_class_index.json` (1000 classes,
 * `{ wnid: 'n01440764', name: 'tench' }` at index 0), with nothing to download.
 */
export function imagenetClassIndex(): ParsedClassIndex {
  parsed ??= Object.freeze({
    entries: Object.freeze(
      IMAGENET_CLASS_LINES.split('\n').map((line) => {
        const space = line.indexOf(' ');
        return Object.freeze({ wnid: line.slice(0, space), name: line.slice(space + 1) });
      }),
    ),
  });
  return parsed;
}

import { InvalidArgumentError } from 'commander';

/**
 * Parsers for option values. Commander turns the InvalidArgumentError into a usage error that
 * names the flag and the value ("option '--input-size <n>' argument 'abc' is invalid. ..."), exit 2.
 */

/** An integer >= `min`, written in decimal. */
export function integerAtLeast(min: number): (value: string) => number {
  return (value) => {
    const trimmed = value.trim();
    const parsed = Number(trimmed);
    if (!/^[+]?\d+$/.test(trimmed) || !Number.isSafeInteger(parsed) || parsed < min) {
      throw new InvalidArgumentError(`Expected an integer of at least ${min}.`);
    }
    return parsed;
  };
}

/** An integer >= 1. */
export const positiveInteger = integerAtLeast(1);

/** `x,y` or `x,y,classes`: the HDF5 datasets of images, labels and (optionally) class names. */
export function h5Keys(value: string): { x: string; y: string; classes?: string } {
  const keys = value.split(',').map((key) => key.trim());
  if (keys.length < 2 || keys.length > 3 || keys.some((key) => key === '')) {
    throw new InvalidArgumentError('Expected two or three HDF5 dataset names: images,labels[,classes] (e.g. test_set_x,test_set_y,list_classes).');
  }
  const [x, y, classes] = keys;
  return classes ? { x, y, classes } : { x, y };
}

import { InvalidArgumentError } from 'commander';
import { MAX_INPUT_CHANNELS, MAX_INPUT_SIZE, MIN_INPUT_SIZE } from '@resnet-ts/zoo';

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

/** An integer in `min..max`, written in decimal. */
export function integerBetween(min: number, max: number): (value: string) => number {
  const atLeast = integerAtLeast(min);
  return (value) => {
    let parsed: number;
    try {
      parsed = atLeast(value);
    } catch {
      parsed = NaN;
    }
    if (!(parsed <= max)) throw new InvalidArgumentError(`Expected an integer from ${min} to ${max}.`);
    return parsed;
  };
}

/** `--input-size`: height and width a ResNet accepts, checked before anything is allocated. */
export const inputSize = integerBetween(MIN_INPUT_SIZE, MAX_INPUT_SIZE);

/** `--channels`: input channels a ResNet accepts. */
export const inputChannels = integerBetween(1, MAX_INPUT_CHANNELS);

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

/** A number strictly between 0 and 1 (a decay). */
export function fraction(value: string): number {
  const n = Number(value);
  if (!(n > 0 && n < 1)) throw new InvalidArgumentError('Expected a number between 0 and 1.');
  return n;
}

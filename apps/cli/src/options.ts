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

import { InvalidArgumentError } from 'commander';
import { describe, expect, it } from 'vitest';
import { integerAtLeast } from '../src/options';
import { formatCount, formatTable } from '../src/output';

describe('integerAtLeast', () => {
  const atLeast32 = integerAtLeast(32);

  it.each([
    ['32', 32],
    ['224', 224],
    [' 64 ', 64],
    ['+64', 64],
  ])('accepts %j as %i', (text, value) => {
    expect(atLeast32(text)).toBe(value);
  });

  it.each(['31', '0', '-64', '64.5', '6.4e1', '0x40', 'abc', '', '99999999999999999999'])('rejects %j', (text) => {
    expect(() => atLeast32(text)).toThrow(InvalidArgumentError);
    expect(() => atLeast32(text)).toThrow('Expected an integer of at least 32.');
  });
});

describe('formatTable', () => {
  it('aligns columns under a rule, numbers to the right', () => {
    const table = formatTable(
      ['model', 'params'],
      [
        ['resnet18', formatCount(11_699_112)],
        ['resnet152v2', formatCount(60_380_648)],
      ],
      ['left', 'right'],
    );
    expect(table.split('\n')).toEqual([
      'model            params',
      '-----------  ----------',
      'resnet18     11,699,112',
      'resnet152v2  60,380,648',
    ]);
  });
});

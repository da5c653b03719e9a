import { describe, expect, it } from 'vitest';
import { formatRate } from '../src/ui/dom';

describe('formatRate', () => {
  it('keeps one decimal below 100 images/s and writes whole, separated thousands above', () => {
    expect(formatRate(0.42)).toBe('0.4');
    expect(formatRate(12.34)).toBe('12.3');
    expect(formatRate(99.94)).toBe('99.9');
    expect(formatRate(100.4)).toBe('100');
    expect(formatRate(35842.3)).toBe('35,842');
    expect(formatRate(Number.POSITIVE_INFINITY)).toBe('—');
  });
});

import { describe, expect, it } from 'vitest';
import { topKClasses, topKIndices } from '../src/predictions/top-k';

describe('topKIndices', () => {
  it('ranks the highest scores first and keeps the lower index first on ties', () => {
    expect(topKIndices([0.1, 0.5, 0.5, 0.2], 3)).toEqual([1, 2, 3]);
    expect(topKIndices([0.3, 0.3, 0.3, 0.3], 2)).toEqual([0, 1]);
    expect(topKIndices([0.2, 0.9, 0.2, 0.9, 0.1], 5)).toEqual([1, 3, 0, 2, 4]);
  });

  it('gives the order a full sort gives, for any k', () => {
    // Few distinct values, so ties are everywhere; deterministic.
    const row = Array.from({ length: 200 }, (_, i) => ((i * 37) % 11) / 10);
    const sorted = row.map((_, i) => i).sort((a, b) => row[b] - row[a] || a - b);
    for (const k of [1, 2, 5, 17, 199, 200, 500]) expect(topKIndices(row, k)).toEqual(sorted.slice(0, k));
  });

  it('ranks NaN below every score', () => {
    expect(topKIndices([Number.NaN, 0.1, -Infinity, 0.4], 4)).toEqual([3, 1, 0, 2]);
  });

  it('refuses a k that is not a positive integer', () => {
    expect(() => topKIndices([1, 2], 0)).toThrow('topKIndices: k must be a positive integer, got 0');
    expect(() => topKIndices([1, 2], 1.5)).toThrow(RangeError);
  });
});

describe('topKClasses', () => {
  it('orders each row by score, breaks ties by index and caps k at the class count', () => {
    const rows = topKClasses([0.1, 0.5, 0.5, 0.2, 0.9, 0.05], 2);
    expect(rows[0].map((s) => s.index)).toEqual([1, 2, 0]);
    expect(rows[1].map((s) => s.index)).toEqual([1, 0, 2]);
    expect(rows[1][0]).toEqual({ index: 1, className: '1', probability: 0.9 });
  });

  it('labels with the class names and keeps k per row', () => {
    const scores = Float32Array.from([0.7, 0.2, 0.1, 0.1, 0.3, 0.6]);
    const rows = topKClasses(scores, 2, { k: 2, classNames: ['cat', 'dog', 'fox'] });
    expect(rows.map((row) => row.map((s) => s.className))).toEqual([
      ['cat', 'dog'],
      ['fox', 'dog'],
    ]);
    expect(rows[1][0].probability).toBe(Math.fround(0.6));
  });

  it('refuses scores that do not split into the rows, and class names that do not name every class', () => {
    expect(() => topKClasses([1, 2, 3], 2)).toThrow('topKClasses: 3 scores do not split into 2 rows');
    expect(() => topKClasses([1, 2, 3, 4], 1, { classNames: ['a'] })).toThrow(/4 outputs but 1 class names/);
  });
});

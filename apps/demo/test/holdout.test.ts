import { describe, expect, it } from 'vitest';
import { holdOut } from '../src/training/holdout';

const items = (counts: number[]) => counts.flatMap((n, label) => Array.from({ length: n }, (_, k) => ({ label, id: `${label}-${k}` })));

describe('held-out images of "My images"', () => {
  it('holds out 15 % of each class, at least one image, and trains on the rest', () => {
    const all = items([20, 7, 2]);
    const { train, heldOut, warnings } = holdOut(all, ['a', 'b', 'c']);
    const count = (list: typeof all, label: number) => list.filter((i) => i.label === label).length;
    expect([0, 1, 2].map((c) => count(heldOut, c))).toEqual([3, 1, 1]);
    expect([0, 1, 2].map((c) => count(train, c))).toEqual([17, 6, 1]);
    // No image is in both, none is lost.
    expect(new Set([...train, ...heldOut].map((i) => i.id)).size).toBe(all.length);
    expect(warnings).toEqual(['"c" has only 2 images: its held-out score rests on one image. Add at least 5.']);
  });

  it('keeps a class with one image for training and warns that it has no held-out score', () => {
    const { train, heldOut, warnings } = holdOut(items([6, 1]), ['cat', 'dog']);
    expect(heldOut.map((i) => i.label)).toEqual([0]);
    expect(train.filter((i) => i.label === 1)).toHaveLength(1);
    expect(warnings).toEqual(['"dog" has 1 image: none is held out, so its score is unknown. Add at least 5.']);
  });

  it('holds out the same images on every run', () => {
    const all = items([10, 10]);
    expect(holdOut(all, ['a', 'b']).heldOut).toEqual(holdOut(all, ['a', 'b']).heldOut);
  });
});

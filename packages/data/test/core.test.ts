import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { augmentExample, mixBatch, resolveAugmentation } from '../src/core/augmentation';
import { classMapFromJson, classMapToJson, oneHot, sortClassNames } from '../src/core/labels';
import { normalizeInPlace } from '../src/core/normalization';
import { resizeRgb } from '../src/core/resample';
import { epochOrder, Rng } from '../src/core/rng';
import { stratifiedSplit } from '../src/core/split';

function randomImage(width: number, height: number, seed: number) {
  const rng = new Rng(seed);
  return { data: Uint8Array.from({ length: width * height * 3 }, () => rng.int(256)), width, height };
}

describe('seeded randomness', () => {
  it('gives the same stream for the same path and different streams otherwise', () => {
    const a = Rng.at(7, 1, 3);
    const b = Rng.at(7, 1, 3);
    const c = Rng.at(7, 1, 4);
    const seqA = [a.next(), a.next(), a.next()];
    expect([b.next(), b.next(), b.next()]).toEqual(seqA);
    expect(c.next()).not.toBe(seqA[0]);
  });

  it('reshuffles each epoch as a permutation that depends only on (seed, epoch)', () => {
    const e0 = epochOrder(50, 3, 0, true);
    const e1 = epochOrder(50, 3, 1, true);
    expect(Array.from(e0).sort((x, y) => x - y)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(e0).toEqual(epochOrder(50, 3, 0, true));
    expect(e1).not.toEqual(e0);
    expect(Array.from(epochOrder(5, 3, 0, false))).toEqual([0, 1, 2, 3, 4]);
  });

  it('draws Beta samples with the right mean', () => {
    const rng = new Rng(1);
    let sum = 0;
    for (let i = 0; i < 4000; i++) sum += rng.beta(0.4, 0.4);
    expect(sum / 4000).toBeCloseTo(0.5, 1);
  });
});

describe('resize', () => {
  it('matches tf.image.resizeBilinear with half-pixel centres (stretch)', () => {
    const src = randomImage(13, 9, 2);
    const ours = resizeRgb(src, { width: 7, height: 5 });
    const theirs = tf.tidy(() =>
      tf.image.resizeBilinear(tf.tensor3d(src.data, [9, 13, 3], 'float32'), [5, 7], false, true).round().dataSync(),
    );
    for (let i = 0; i < theirs.length; i++) expect(Math.abs(ours.data[i] - theirs[i])).toBeLessThanOrEqual(1);
  });

  it('cover keeps the aspect ratio by centre-cropping the long side', () => {
    // Left third red, middle third green, right third blue: a square cover crop sees only green.
    const width = 30;
    const height = 10;
    const data = new Uint8Array(width * height * 3);
    for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data[(y * width + x) * 3 + Math.floor(x / 10)] = 255;
    const out = resizeRgb({ data, width, height }, { width: 4, height: 4, fit: 'cover' });
    for (let p = 0; p < 16; p++) expect([out.data[p * 3], out.data[p * 3 + 1], out.data[p * 3 + 2]]).toEqual([0, 255, 0]);
    const stretched = resizeRgb({ data, width, height }, { width: 3, height: 1, fit: 'stretch' });
    expect(Array.from(stretched.data)).toEqual([255, 0, 0, 0, 255, 0, 0, 0, 255]);
  });
});

describe('normalisation presets (Keras imagenet_utils)', () => {
  const pixel = () => Float32Array.from([10, 20, 30]);
  it.each([
    ['raw', [10, 20, 30]],
    ['unit', [10 / 255, 20 / 255, 30 / 255]],
    ['tf', [10 / 127.5 - 1, 20 / 127.5 - 1, 30 / 127.5 - 1]],
    ['torch', [(10 / 255 - 0.485) / 0.229, (20 / 255 - 0.456) / 0.224, (30 / 255 - 0.406) / 0.225]],
    // caffe: RGB -> BGR, minus the BGR mean, no scaling.
    ['caffe', [30 - 103.939, 20 - 116.779, 10 - 123.68]],
  ] as const)('%s', (preset, expected) => {
    const values = pixel();
    normalizeInPlace(values, preset);
    expected.forEach((v, i) => expect(values[i]).toBeCloseTo(v, 4));
  });

  it('rejects an unknown preset by name', () => {
    expect(() => normalizeInPlace(pixel(), 'imagenet' as never)).toThrow(/imagenet.*caffe, torch, tf, unit, raw/);
  });
});

describe('labels and splits', () => {
  it('one-hot encodes and names a bad label by position', () => {
    expect(Array.from(oneHot([2, 0], 3))).toEqual([0, 0, 1, 1, 0, 0]);
    expect(() => oneHot([0, 3], 3)).toThrow(/label 3 at position 1/);
  });

  it('sorts numeric class names numerically and round-trips the class map', () => {
    expect(sortClassNames(['10', '2', '1'])).toEqual(['1', '2', '10']);
    expect(sortClassNames(['dog', 'cat', 'dog'])).toEqual(['cat', 'dog']);
    expect(classMapFromJson(classMapToJson(['a', 'b']))).toEqual(['a', 'b']);
    expect(() => classMapFromJson('{"names": 1}', 'ckpt/classes.json')).toThrow(/ckpt\/classes.json/);
  });

  it('splits every class by the fractions, disjointly and reproducibly', () => {
    const labels = Array.from({ length: 100 }, (_, i) => (i < 60 ? 0 : 1));
    const split = stratifiedSplit(labels, { seed: 5, valFraction: 0.2, testFraction: 0.1 });
    const count = (indices: Int32Array, label: number) => Array.from(indices).filter((i) => labels[i] === label).length;
    expect([count(split.val, 0), count(split.val, 1)]).toEqual([12, 8]);
    expect([count(split.test!, 0), count(split.test!, 1)]).toEqual([6, 4]);
    const all = [...split.train, ...split.val, ...split.test!].sort((a, b) => a - b);
    expect(all).toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect(stratifiedSplit(labels, { seed: 5, valFraction: 0.2, testFraction: 0.1 })).toEqual(split);
    expect(stratifiedSplit(labels, { seed: 6, valFraction: 0.2 }).val).not.toEqual(split.val);
  });
});

describe('augmentation', () => {
  it('is deterministic per rng and differs across seeds; flip-only mirrors the image exactly', () => {
    const src = randomImage(8, 8, 3);
    const config = resolveAugmentation(true)!;
    const a = new Float32Array(8 * 8 * 3);
    const b = new Float32Array(8 * 8 * 3);
    const c = new Float32Array(8 * 8 * 3);
    augmentExample(src, 8, 8, 'stretch', config, new Rng(1), a, 0);
    augmentExample(src, 8, 8, 'stretch', config, new Rng(1), b, 0);
    augmentExample(src, 8, 8, 'stretch', config, new Rng(2), c, 0);
    expect(b).toEqual(a);
    expect(c).not.toEqual(a);

    const flipOnly = resolveAugmentation({ randomResizedCrop: false, rotationDegrees: 0, colorJitter: false })!;
    const out = new Float32Array(8 * 8 * 3);
    // Find a seed whose coin says "flip".
    let seed = 0;
    for (; new Rng(seed).next() >= 0.5; seed++);
    augmentExample(src, 8, 8, 'stretch', flipOnly, new Rng(seed), out, 0);
    for (let y = 0; y < 8; y++) for (let x = 0; x < 8; x++) for (let ch = 0; ch < 3; ch++) {
      expect(out[(y * 8 + x) * 3 + ch]).toBeCloseTo(src.data[(y * 8 + 7 - x) * 3 + ch], 3);
    }
  });

  it('mixup and cutmix give soft labels that sum to one and match the pixel mix', () => {
    const h = 4;
    const w = 4;
    const size = h * w * 3;
    for (const kind of ['mixup', 'cutmix'] as const) {
      const xs = new Float32Array(2 * size);
      xs.fill(100, size); // example 0 all 0, example 1 all 100
      const ys = Float32Array.from([1, 0, 0, 1]);
      const config = resolveAugmentation({ [kind]: { alpha: 1 } })!;
      expect(mixBatch(xs, ys, 2, h, w, 2, config, new Rng(4))).toBe(kind);
      expect(ys[0] + ys[1]).toBeCloseTo(1, 6);
      // The share of example 1 in example 0's pixels equals example 0's weight on class 1.
      const meanOf0 = xs.subarray(0, size).reduce((s, v) => s + v, 0) / size;
      expect(meanOf0 / 100).toBeCloseTo(ys[1], 5);
    }
  });
});

describe('class folders from relative paths (browser folder picker)', () => {
  it('labels by the folder under the top one, sorts classes, ignores hidden, loose and non-image files', async () => {
    const { groupByClassFolder } = await import('../src/core/class-folders');
    const paths = ['root/dog/1.JPG', 'root/cat/2.png', 'root/cat/.DS_Store', 'root/.git/x.png', 'root/readme.png', 'root/cat/notes.txt', 'root/cat/sub/3.webp'];
    const { classNames, entries } = groupByClassFolder(paths, (p) => p);
    expect(classNames).toEqual(['cat', 'dog']);
    expect(entries).toEqual([
      { item: 'root/dog/1.JPG', label: 1 },
      { item: 'root/cat/2.png', label: 0 },
      { item: 'root/cat/sub/3.webp', label: 0 },
    ]);
  });
});

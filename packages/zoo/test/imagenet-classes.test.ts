import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodePredictions, imagenetClassIndex } from '../src/imagenet/index';
import { loadClassIndexCached } from '../src/node/index';

describe('the ImageNet classes shipped with zoo', () => {
  const { entries } = imagenetClassIndex();

  it("are Keras's imagenet_class_index.json: 1000 classes, WordNet ids ascending, Keras's names", () => {
    expect(entries).toHaveLength(1000);
    expect(entries[0]).toEqual({ wnid: 'n01440764', name: 'tench' });
    expect(entries[1]).toEqual({ wnid: 'n01443537', name: 'goldfish' });
    expect(entries[999]).toEqual({ wnid: 'n15075141', name: 'toilet_tissue' });
    // ImageNet numbers its classes by sorted WordNet id; a shifted or swapped entry breaks the order.
    expect(entries.every((e, i) => /^n\d{8}$/.test(e.wnid) && (i === 0 || entries[i - 1].wnid < e.wnid))).toBe(true);
    expect(entries.every((e) => /^\S+$/.test(e.name))).toBe(true);
    // Homonyms, where Keras repeats a name for two synsets.
    expect([134, 517, 638, 639, 836, 837].map((i) => `${entries[i].wnid} ${entries[i].name}`)).toEqual([
      'n02012849 crane',
      'n03126707 crane',
      'n03710637 maillot',
      'n03710721 maillot',
      'n04355933 sunglass',
      'n04356056 sunglasses',
    ]);
    expect([107, 339, 916, 981, 987].map((i) => entries[i].name)).toEqual(['jellyfish', 'sorrel', 'web_site', 'ballplayer', 'corn']);
  });

  it('are what decodePredictions uses without a classIndex', async () => {
    const row = Array.from({ length: 1000 }, (_, i) => (i === 1 ? 0.9 : i === 999 ? 0.05 : 0.05 / 998));
    const [top] = await decodePredictions([row], { top: 2 });
    expect(top).toEqual([
      { index: 1, wnid: 'n01443537', className: 'goldfish', probability: 0.9 },
      { index: 999, wnid: 'n15075141', className: 'toilet_tissue', probability: 0.05 },
    ]);
  });

  it('are what loadClassIndexCached returns without a source, with nothing downloaded or cached', async () => {
    const cacheDir = mkdtempSync(join(tmpdir(), 'class-index-default-'));
    try {
      expect(await loadClassIndexCached(undefined, { cacheDir })).toBe(imagenetClassIndex());
      expect(readdirSync(cacheDir)).toEqual([]);
    } finally {
      rmSync(cacheDir, { recursive: true, force: true });
    }
  });
});

import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseRecipe, recipeHash, type RecipeInput } from '../src/index';
import { canonicalJson } from '../src/recipe/hash';
import { sha256Hex } from '../src/sha256';

const nodeSha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

describe('recipeHash', () => {
  it('computes SHA-256 as node:crypto does, across block boundaries', () => {
    expect(sha256Hex(new Uint8Array())).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    for (const length of [1, 55, 56, 63, 64, 65, 119, 1000]) {
      const bytes = Uint8Array.from({ length }, (_, i) => (i * 31 + length) % 256);
      expect(sha256Hex(bytes), `${length} bytes`).toBe(nodeSha256(bytes));
    }
  });

  it('is the SHA-256 of the canonical JSON of the parsed recipe', () => {
    const recipe = parseRecipe({ model: { name: 'resnet18' } });
    expect(recipeHash(recipe)).toBe(nodeSha256(new TextEncoder().encode(canonicalJson(recipe))));
    expect(canonicalJson({ b: [1, { d: 2, c: undefined, a: 'x' }], a: null })).toBe('{"a":null,"b":[1,{"a":"x","d":2}]}');
  });

  it('is stable across key order and for defaults written out or left out', () => {
    const a: RecipeInput = { training: { lr: 0.01, epochs: 5, optimizer: { type: 'sgd', momentum: 0.9 } }, model: { name: 'resnet18' } };
    const b: RecipeInput = { model: { seed: 0, name: 'resnet18' }, training: { optimizer: { momentum: 0.9, type: 'sgd' }, epochs: 5, batchSize: 32, lr: 0.01 } };
    expect(recipeHash(a)).toBe(recipeHash(b));
    expect(recipeHash(a)).toBe(recipeHash(parseRecipe(a)));
    expect(recipeHash(a)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('changes with any value', () => {
    const base = recipeHash({});
    expect(recipeHash({ training: { epochs: 21 } })).not.toBe(base);
    expect(recipeHash({ model: { zeroInitResidual: false } })).not.toBe(base);
    expect(recipeHash({ data: { imageSize: [64, 65] } })).not.toBe(base);
  });
});

import { sha256Hex } from '../sha256';
import { parseRecipe, type RecipeInput } from './recipe';

/** JSON with the keys of every object sorted, no whitespace: equal values give equal text. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((item) => canonicalJson(item ?? null)).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * SHA-256 (hex) of the recipe's canonical JSON, defaults filled in: the same for any key order and
 * for a default left out or written out. Synchronous, the same in Node and browsers.
 */
export function recipeHash(recipe: RecipeInput): string {
  return sha256Hex(new TextEncoder().encode(canonicalJson(parseRecipe(recipe))));
}

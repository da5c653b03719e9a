import type { RecipeInput } from './recipe';

/** A partial recipe to layer over others: any key at any depth may be left out (or `undefined`, to remove it). */
export type RecipeLayer<T = RecipeInput> = T extends readonly unknown[] ? T : T extends object ? { [K in keyof T]?: RecipeLayer<T[K]> } : T;

const isMapping = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

function mergeTwo(below: unknown, above: unknown): unknown {
  if (!isMapping(above)) return structuredClone(above);
  // A spec of another type starts afresh: sgd does not inherit adam's betas.
  const sameSpec = isMapping(below) && !('type' in above && 'type' in below && above.type !== below.type);
  const merged: Record<string, unknown> = sameSpec ? structuredClone(below) : {};
  for (const [key, value] of Object.entries(above)) {
    if (value === undefined) delete merged[key];
    else merged[key] = mergeTwo(merged[key], value);
  }
  return merged;
}

/**
 * Layers partial recipes, later ones winning (`mergeRecipes(RECIPE_PRESETS.quickstart, file, flags)`):
 * mappings merge key by key; values and lists replace; a `{ type }` spec of another type replaces
 * the one below; a key set to `undefined` is removed. The inputs are not modified; validate the
 * result with `parseRecipe`.
 */
export function mergeRecipes(...layers: readonly RecipeLayer[]): RecipeLayer {
  return layers.reduce<unknown>((below, above) => mergeTwo(below, above), {}) as RecipeLayer;
}

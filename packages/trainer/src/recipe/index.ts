// The recipe: one typed, versioned description of a whole run (model, data, training), as a zod
// schema that gives the types, the defaults and the validation messages.
export { parseRecipe, serializeRecipe, RECIPE_FORMAT, RECIPE_VERSION, type Recipe, type RecipeWithData, type RecipeInput, type ModelSection, type DataSourceSpec, type ResolvedDataSourceSpec } from './recipe';
export { type DataSourceKind, DATA_KINDS, ON_ERROR_CHOICES, type OnErrorChoice } from './data';
export { recipeHash } from './hash';
export { mergeRecipes, type RecipeLayer } from './merge';
export { RECIPE_PRESETS } from './presets';
export { RecipeError, formatPath, type RecipeIssue, type RecipePath } from './issues';

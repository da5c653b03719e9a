import { z } from 'zod';

/** Where a recipe value sits: `['training', 'optimizer', 'type']`, printed `training.optimizer.type`. */
export type RecipePath = readonly (string | number)[];

/** One thing wrong with a recipe: the key path and what is wrong there (the allowed values). */
export interface RecipeIssue {
  path: RecipePath;
  message: string;
}

/** `training.optimizer.type`, `data.imageSize[0]`. */
export function formatPath(path: RecipePath): string {
  return path.map((key, i) => (typeof key === 'number' ? `[${key}]` : i > 0 ? `.${key}` : key)).join('');
}

/** A recipe (or a section of one) that does not validate; `issues` name every key path. */
export class RecipeError extends Error {
  constructor(
    readonly issues: readonly RecipeIssue[],
    readonly source?: string,
  ) {
    const list = issues.map((issue) => `${formatPath(issue.path)}: ${issue.message}`).join('; ');
    super(source ? `${source}: ${list}` : list);
    this.name = 'RecipeError';
  }
}

const TYPE_NAMES: Record<string, string> = {
  number: 'a number',
  integer: 'an integer',
  string: 'a string',
  boolean: 'true or false',
  object: 'a mapping',
  array: 'a list',
  null: 'null',
};

/** A value as a message shows it: strings quoted, lists and mappings by kind. */
function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return `a list of ${value.length}`;
  if (value === null) return 'null';
  if (typeof value === 'object') return 'a mapping';
  return String(value);
}

const bound = (inclusive: boolean, op: '>' | '<') => `${op}${inclusive ? '=' : ''}`;

/** What each alternative of a union expects, from the issues of the alternatives that did not match. */
function alternatives(issue: z.ZodInvalidUnionIssue): string[] {
  return issue.unionErrors.flatMap((error) =>
    error.issues.flatMap((branch) => {
      if (branch.code === z.ZodIssueCode.invalid_literal) return [show(branch.expected)];
      if (branch.code === z.ZodIssueCode.invalid_type) return [TYPE_NAMES[branch.expected] ?? branch.expected];
      return [];
    }),
  );
}

/** Messages that say what was found and what is allowed; the key path is added by {@link RecipeError}. */
export const recipeErrorMap: z.ZodErrorMap = (issue, ctx) => {
  switch (issue.code) {
    case z.ZodIssueCode.invalid_type: {
      const expected = TYPE_NAMES[issue.expected] ?? issue.expected;
      return { message: issue.received === 'undefined' ? `required (${expected})` : `expected ${expected}, got ${show(ctx.data)}` };
    }
    case z.ZodIssueCode.invalid_literal:
      return { message: `must be ${show(issue.expected)}, got ${show(ctx.data)}` };
    case z.ZodIssueCode.invalid_enum_value:
      return { message: `${show(issue.received)} is not one of ${issue.options.join(', ')}` };
    case z.ZodIssueCode.invalid_union_discriminator: {
      const value = (ctx.data as Record<string, unknown> | undefined)?.[String(issue.path.at(-1))];
      const options = issue.options.join(', ');
      return { message: value === undefined ? `required (one of ${options})` : `${show(value)} is not one of ${options}` };
    }
    case z.ZodIssueCode.invalid_union:
      return { message: `expected ${[...new Set(alternatives(issue))].join(' or ')}, got ${show(ctx.data)}` };
    case z.ZodIssueCode.too_small:
      if (issue.type === 'array') return { message: `expected ${issue.minimum} values, got ${show(ctx.data)}` };
      if (issue.type === 'string') return { message: 'must not be empty' };
      return { message: `must be ${bound(issue.inclusive, '>')} ${issue.minimum}, got ${show(ctx.data)}` };
    case z.ZodIssueCode.too_big:
      if (issue.type === 'array') return { message: `expected ${issue.maximum} values, got ${show(ctx.data)}` };
      return { message: `must be ${bound(issue.inclusive, '<')} ${issue.maximum}, got ${show(ctx.data)}` };
    case z.ZodIssueCode.not_finite:
      return { message: `must be a finite number, got ${show(ctx.data)}` };
    default:
      return { message: ctx.defaultError };
  }
};

/** Whether a union alternative failed on the value's type itself (rather than inside it). */
const failedOnType = (issues: readonly z.ZodIssue[], depth: number) =>
  issues.some(
    (i) => i.path.length === depth && (i.code === z.ZodIssueCode.invalid_type || i.code === z.ZodIssueCode.invalid_literal),
  );

/**
 * One issue per key path: an unknown-key issue becomes one per key, and a union whose value had the
 * right type for one alternative (`ema: { decay: 2 }`) reports that alternative's issues.
 */
function flatten(issues: readonly z.ZodIssue[]): RecipeIssue[] {
  return issues.flatMap((issue): RecipeIssue[] => {
    if (issue.code === z.ZodIssueCode.invalid_union) {
      const matched = issue.unionErrors.find((error) => !failedOnType(error.issues, issue.path.length));
      if (matched) return flatten(matched.issues);
    }
    if (issue.code === z.ZodIssueCode.unrecognized_keys) {
      return issue.keys.map((key) => ({ path: [...issue.path, key], message: issue.message }));
    }
    return [{ path: issue.path, message: issue.message }];
  });
}

/** Parses `value` with `schema`; throws a {@link RecipeError} whose paths start with `prefix`. */
export function parseWith<S extends z.ZodTypeAny>(schema: S, value: unknown, prefix: RecipePath, source?: string): z.output<S> {
  const result = schema.safeParse(value, { errorMap: recipeErrorMap });
  if (result.success) return result.data;
  throw new RecipeError(
    flatten(result.error.issues).map((issue) => ({ path: [...prefix, ...issue.path], message: issue.message })),
    source,
  );
}

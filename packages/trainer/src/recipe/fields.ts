import { z } from 'zod';

/** Value types shared by the recipe sections; each message names the bound (see issues.ts). */
export const positiveInt = () => z.number().int().min(1);
export const nonNegativeInt = () => z.number().int().min(0);
export const positive = () => z.number().finite().gt(0);
export const nonNegative = () => z.number().finite().min(0);
/** In [0, 1). */
export const unitInterval = () => z.number().min(0).lt(1);
/** In [0, 1]. */
export const probability = () => z.number().min(0).max(1);
/** In (0, 1). */
export const openFraction = () => z.number().gt(0).lt(1);
/** A seed of random numbers. */
export const seed = () => nonNegativeInt();

/** An object whose unknown keys are errors that list the keys it has. */
export function strictObject<T extends z.ZodRawShape>(shape: T, what: string) {
  return z.object(shape).strict(`not a key of ${what} (its keys: ${Object.keys(shape).join(', ')})`);
}

/** A string from a list read at parse time (a registry), as a string type. */
export function oneOf(allowed: () => readonly string[]) {
  return z.string().superRefine((value, ctx) => {
    const names = allowed();
    if (!names.includes(value)) ctx.addIssue({ code: z.ZodIssueCode.custom, message: `${JSON.stringify(value)} is not one of ${names.join(', ')}` });
  });
}

/** `false` (off) or the settings object. */
export const offOr = <T extends z.ZodTypeAny>(settings: T) => z.union([z.literal(false), settings]);

/**
 * A `{ type, ...settings }` spec whose types come from a registry at parse time; `settingsOf` says
 * which keys each type takes (a registered type that declares none takes any).
 */
export function registrySpec<T extends { type: string }>(
  what: string,
  registered: () => readonly string[],
  settingsOf: (type: string) => z.ZodRawShape | undefined,
): z.ZodType<T, z.ZodTypeDef, T> {
  const option = (type: string): z.ZodDiscriminatedUnionOption<'type'> => {
    const shape = settingsOf(type);
    if (!shape) return z.object({ type: z.literal(type) }).passthrough();
    const names = Object.keys(shape).join(', ') || 'none';
    return z.object({ type: z.literal(type), ...shape }).strict(`not a setting of ${what} "${type}" (its settings: ${names})`);
  };
  const union = () => {
    const [first, ...rest] = registered().map(option);
    return z.discriminatedUnion('type', [first, ...rest]);
  };
  return z.lazy(union) as unknown as z.ZodType<T, z.ZodTypeDef, T>;
}

/** One-hot encoding of class indices into a new Float32Array [labels.length, classes]. */
export function oneHot(labels: ArrayLike<number>, classes: number): Float32Array {
  const out = new Float32Array(labels.length * classes);
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i];
    if (!(Number.isInteger(label) && label >= 0 && label < classes)) {
      throw new Error(`oneHot: label ${label} at position ${i} is not a class index in [0, ${classes})`);
    }
    out[i * classes + label] = 1;
  }
  return out;
}

/** The JSON saved next to checkpoints so predictions can be mapped back to names. */
export interface ClassMap {
  classNames: string[];
}

export function classMapToJson(classNames: readonly string[]): string {
  return `${JSON.stringify({ classNames: [...classNames] } satisfies ClassMap, null, 2)}\n`;
}

export function classMapFromJson(json: string, where = 'class map'): string[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch (error) {
    throw new Error(`${where}: not valid JSON (${(error as Error).message})`);
  }
  const names = (parsed as Partial<ClassMap>)?.classNames;
  if (!Array.isArray(names) || !names.every((n) => typeof n === 'string')) {
    throw new Error(`${where}: expected {"classNames": [string, ...]}`);
  }
  return names;
}

/** Sorts class names: numerically when all are integers ("2" < "10"), otherwise by code point. */
export function sortClassNames(names: Iterable<string>): string[] {
  const unique = [...new Set(names)];
  const numeric = unique.every((n) => /^-?\d+$/.test(n));
  return numeric ? unique.sort((a, b) => Number(a) - Number(b)) : unique.sort();
}

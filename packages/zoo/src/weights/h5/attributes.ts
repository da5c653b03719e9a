import type { Group as H5Group, Attribute as H5Attribute } from 'h5wasm';

/** Decodes one attribute element: h5wasm gives strings, or bytes for some fixed-length types. */
function asText(value: unknown): string {
  if (typeof value === 'string') return value.replace(/\0+$/, '');
  if (value instanceof Uint8Array) return new TextDecoder().decode(value).replace(/\0+$/, '');
  return String(value);
}

function attributeList(attribute: H5Attribute): string[] {
  const value = attribute.value;
  if (value === null || value === undefined) return [];
  // Keras writes an empty numpy array (float64, shape [0]) for layers without weights.
  if (ArrayBuffer.isView(value)) return value instanceof Uint8Array ? [asText(value)] : [];
  if (Array.isArray(value)) return value.map(asText);
  return [asText(value)];
}

/**
 * Reads a list-of-strings attribute the way Keras writes it: one attribute `name`, or, when it
 * exceeds HDF5's 64 KiB attribute limit, chunks `name0`, `name1`, ... Returns undefined if absent.
 */
export function readStringList(group: H5Group, name: string): string[] | undefined {
  const attrs = group.attrs;
  if (attrs[name]) return attributeList(attrs[name]);
  if (!attrs[`${name}0`]) return undefined;
  const out: string[] = [];
  for (let chunk = 0; attrs[`${name}${chunk}`]; chunk += 1) out.push(...attributeList(attrs[`${name}${chunk}`]));
  return out;
}

/** Reads a scalar string attribute (e.g. `keras_version`), or undefined. */
export function readString(group: H5Group, name: string): string | undefined {
  const attribute = group.attrs[name];
  if (!attribute) return undefined;
  const list = attributeList(attribute);
  return list.length > 0 ? list[0] : undefined;
}

/** HDF5 refuses attributes over 64 KiB; Keras splits long name lists into numbered chunks. */
const MAX_ATTRIBUTE_BYTES = 64_000;

/** Writes a list of names as fixed-length ASCII strings, chunked like Keras when needed. */
export function writeStringList(group: H5Group, name: string, values: string[]): void {
  if (values.length === 0) {
    // Keras (numpy) stores an empty list as a float64 array of shape [0].
    group.create_attribute(name, new Float64Array(0), [0], '<d');
    return;
  }
  // One byte more than the longest name keeps a terminating NUL (h5wasm writes NULLTERM strings).
  const width = Math.max(...values.map((v) => new TextEncoder().encode(v).length)) + 1;
  const chunks = Math.ceil((width * values.length) / MAX_ATTRIBUTE_BYTES);
  if (chunks <= 1) {
    group.create_attribute(name, values, [values.length], `A${width}`);
    return;
  }
  const perChunk = Math.ceil(values.length / chunks);
  for (let chunk = 0; chunk * perChunk < values.length; chunk += 1) {
    const part = values.slice(chunk * perChunk, (chunk + 1) * perChunk);
    group.create_attribute(`${name}${chunk}`, part, [part.length], `A${width}`);
  }
}

/** Limits on the shape of a model.json, checked before `JSON.parse` builds it. */
export interface JsonShapeLimits {
  /** Deepest nesting of arrays and objects accepted. Default 64 (a tfjs ResNet model.json nests 9 deep). */
  maxJsonDepth?: number;
  /** Most arrays, objects and list entries accepted. Default 1,000,000 (ResNet152's model.json has about 70,000). */
  maxJsonNodes?: number;
}

export const DEFAULT_MAX_JSON_DEPTH = 64;
export const DEFAULT_MAX_JSON_NODES = 1_000_000;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACE = 0x7d;
const CLOSE_BRACKET = 0x5d;
const COMMA = 0x2c;

/**
 * One pass over JSON text, outside strings, counting nesting depth and nodes (containers and
 * commas) before `JSON.parse` materialises them: a 55 MB `[[[[...]]]]` under the file-size cap
 * would otherwise cost gigabytes of memory. Malformed JSON is left for `JSON.parse` to report.
 */
export function assertJsonShape(text: string, label: string, limits: JsonShapeLimits = {}): void {
  const maxDepth = limits.maxJsonDepth ?? DEFAULT_MAX_JSON_DEPTH;
  const maxNodes = limits.maxJsonNodes ?? DEFAULT_MAX_JSON_NODES;
  let depth = 0;
  let nodes = 0;
  let inString = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === BACKSLASH) i += 1;
      else if (c === QUOTE) inString = false;
      continue;
    }
    if (c === QUOTE) {
      inString = true;
    } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      depth += 1;
      nodes += 1;
      if (depth > maxDepth) {
        throw new Error(`${label}: JSON nested more than ${maxDepth} levels deep (at character ${i}); a tfjs model.json nests about 10, so this is not one (limit: maxJsonDepth)`);
      }
    } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
      depth -= 1;
    } else if (c === COMMA) {
      nodes += 1;
    }
    if (nodes > maxNodes) {
      throw new Error(`${label}: JSON has more than ${maxNodes} values (at character ${i}); a tfjs model.json has far fewer, so this is not one (limit: maxJsonNodes)`);
    }
  }
}

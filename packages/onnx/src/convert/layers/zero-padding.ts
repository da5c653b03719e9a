import { OnnxExportError } from '../../errors';
import type { LayerConversion, OnnxValue } from '../context';

/**
 * ZeroPadding2D: an explicit constant Pad on the spatial axes of the NCHW value.
 *
 * Before a MaxPool the pad value is written as -0.0 rather than +0.0. Both are zero to every op, but
 * onnxruntime (1.30) fuses a Pad whose value bytes are all zero into a following MaxPool's `pads`,
 * and MaxPool padding means -inf, not 0: wrong wherever a window's real values are all negative
 * (ResNet v2's stem max-pools the raw conv output). The -0.0 keeps the Pad, and the results, exact;
 * before a Conv the fusion is correct, so +0.0 (or no value) keeps it.
 */
export function convertZeroPadding2D(c: LayerConversion): OnnxValue {
  if (c.config.dataFormat === 'channelsFirst') {
    throw new OnnxExportError(`Layer '${c.layer.name}' (ZeroPadding2D): dataFormat channelsFirst is not supported`);
  }
  const [[top, bottom], [left, right]] = normalizePadding(c.config.padding);
  const inputs = [c.inputs[0].name, c.graph.addInt64Initializer(`${c.layer.name}/pads`, [0, 0, top, left, 0, 0, bottom, right])];
  if (c.consumerClasses.includes('MaxPooling2D')) {
    inputs.push(c.graph.addFloatInitializer(`${c.layer.name}/value`, [], [-0]));
  }
  const output = c.graph.addNode('Pad', inputs, c.outputName, { mode: 'constant' });
  return { name: output, shape: c.outputShape };
}

/** ZeroPadding2D's `padding` config as [[top, bottom], [left, right]]. */
export function normalizePadding(padding: unknown): [[number, number], [number, number]] {
  if (typeof padding === 'number') return [[padding, padding], [padding, padding]];
  const [h, w] = padding as Array<number | [number, number]>;
  const pair = (p: number | [number, number]): [number, number] => (typeof p === 'number' ? [p, p] : p);
  return [pair(h), pair(w)];
}

import { OnnxExportError } from '../../errors';
import type { LayerConversion, OnnxValue } from '../context';

/** ZeroPadding2D: an explicit constant Pad on the spatial axes of the NCHW value. */
export function convertZeroPadding2D(c: LayerConversion): OnnxValue {
  if (c.config.dataFormat === 'channelsFirst') {
    throw new OnnxExportError(`Layer '${c.layer.name}' (ZeroPadding2D): dataFormat channelsFirst is not supported`);
  }
  const [[top, bottom], [left, right]] = normalizePadding(c.config.padding);
  const pads = c.graph.addInt64Initializer(`${c.layer.name}/pads`, [0, 0, top, left, 0, 0, bottom, right]);
  const output = c.graph.addNode('Pad', [c.inputs[0].name, pads], c.outputName, { mode: 'constant' });
  return { name: output, shape: c.outputShape };
}

function normalizePadding(padding: unknown): [[number, number], [number, number]] {
  if (typeof padding === 'number') return [[padding, padding], [padding, padding]];
  const [h, w] = padding as Array<number | [number, number]>;
  const pair = (p: number | [number, number]): [number, number] => (typeof p === 'number' ? [p, p] : p);
  return [pair(h), pair(w)];
}

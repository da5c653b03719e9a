import type { LayerConversion, OnnxValue } from '../context';
import { NCHW_TO_NHWC } from '../layout';

/**
 * Flatten in keras order. A rank-4 value is NCHW in the graph but keras flattens H, W, C, so it is
 * transposed back to NHWC first, except when H = W = 1 where both orders agree.
 */
export function convertFlatten(c: LayerConversion): OnnxValue {
  const input = c.inputs[0];
  let source = input.name;
  const spatialIsOne = input.shape.length === 4 && input.shape[1] === 1 && input.shape[2] === 1;
  if (input.shape.length === 4 && !spatialIsOne) {
    source = c.graph.addNode('Transpose', [source], `${c.outputName}/nhwc`, { perm: NCHW_TO_NHWC });
  }
  return { name: c.graph.addNode('Flatten', [source], c.outputName, { axis: 1 }), shape: c.outputShape };
}

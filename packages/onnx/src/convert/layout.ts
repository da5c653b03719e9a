/**
 * Layout helpers. tfjs layers work in NHWC; inside the ONNX graph every rank-4 value is NCHW (the
 * layout ONNX Conv/Pool/BatchNormalization define), so channel axes and padding are translated here.
 */

/** Maps an axis of an NHWC rank-4 tensor to the same axis of its NCHW counterpart. */
export function nhwcAxisToNchw(axis: number, rank: number): number {
  const positive = axis < 0 ? axis + rank : axis;
  if (rank !== 4) return positive;
  return [0, 2, 3, 1][positive];
}

export const NHWC_TO_NCHW = [0, 3, 1, 2];
export const NCHW_TO_NHWC = [0, 2, 3, 1];

/**
 * ONNX `pads` ([top, left, bottom, right]) reproducing TensorFlow's padding for one window op.
 * `same` puts the odd pixel at the end, as TF does; `valid` pads nothing.
 */
export function windowPads(
  padding: string,
  inputHW: readonly (number | null)[],
  kernel: readonly number[],
  strides: readonly number[],
  dilations: readonly number[] = [1, 1],
): number[] | undefined {
  if (padding === 'valid') return [0, 0, 0, 0];
  if (padding !== 'same') return undefined;
  const before: number[] = [];
  const after: number[] = [];
  for (let i = 0; i < 2; i++) {
    const size = inputHW[i];
    if (size == null) return undefined;
    const effectiveKernel = (kernel[i] - 1) * dilations[i] + 1;
    const outSize = Math.ceil(size / strides[i]);
    const total = Math.max((outSize - 1) * strides[i] + effectiveKernel - size, 0);
    before.push(Math.floor(total / 2));
    after.push(total - Math.floor(total / 2));
  }
  return [...before, ...after];
}

/** Pads, or `auto_pad: SAME_UPPER` (identical to TF's `same`) when the spatial size is unknown. */
export function windowPaddingAttributes(
  padding: string,
  inputHW: readonly (number | null)[],
  kernel: readonly number[],
  strides: readonly number[],
  dilations?: readonly number[],
): Record<string, number[] | string> {
  const pads = windowPads(padding, inputHW, kernel, strides, dilations);
  return pads ? { pads } : { auto_pad: 'SAME_UPPER' };
}

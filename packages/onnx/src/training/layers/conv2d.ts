import { windowPads } from '../../convert/layout';
import { trainActivation } from '../activation';
import { layerError, type LayerTrainer } from '../context';
import type { GraphOps } from '../graph-ops';

/** keras HWIO [kh, kw, in, out] -> ONNX OIHW [out, in, kh, kw]. */
const HWIO_TO_OIHW = [3, 2, 0, 1];

/**
 * Conv2D in the training graph. Forward: Conv (the HWIO kernel input transposed to OIHW).
 * Backward: bias = ReduceSum; input gradient, see {@link inputGradient} (skipped when the input
 * needs none, as for the first conv); kernel gradient as GEMMs, see {@link kernelGradient}.
 */
export const trainConv2D: LayerTrainer = (c) => {
  const { config, ops } = c;
  if (config.dataFormat === 'channelsFirst') layerError(c, 'dataFormat channelsFirst is not supported; build the model channelsLast');
  const dilations: number[] = config.dilationRate ?? [1, 1];
  if (dilations.some((d) => d !== 1)) layerError(c, `dilation ${dilations.join('x')} is not supported in the training graph (only 1)`);
  const kernel = c.weight('kernel') ?? layerError(c, 'has no kernel; was the model built?');
  const bias = config.useBias ? c.weight('bias') : undefined;
  const [kh, kw, inChannels, outChannels] = kernel.variable.shape as number[];
  const strides: number[] = config.strides;
  const input = c.inputs[0];
  const [, height, width] = input.shape;
  if (height == null || width == null) layerError(c, 'the input needs a fixed height and width to train with ONNX (build the model with a fixed inputShape)');
  const pads = windowPads(config.padding, [height, width], [kh, kw], strides) ?? layerError(c, `padding '${config.padding}' is not supported`);
  const name = c.layer.name;
  const weight = ops.transpose(kernel.name, HWIO_TO_OIHW, `${name}/kernel_oihw`);
  const convInputs = [input.name, weight];
  if (bias) convInputs.push(bias.name);
  const hasActivation = (config.activation ?? 'linear') !== 'linear';
  const conv = ops.node('Conv', convInputs, hasActivation ? `${c.outputName}/conv` : c.outputName, {
    kernel_shape: [kh, kw],
    strides,
    dilations: [1, 1],
    group: 1,
    pads,
  });
  const activation = trainActivation(ops, config.activation, { name: conv, shape: c.outputShape }, c.outputName, name);
  const [, outHeight, outWidth] = c.outputShape as number[];
  const geometry: ConvGeometry = { name, kh, kw, inChannels, outChannels, strides, pads, height, width, outHeight, outWidth };

  return {
    output: activation.output,
    backward: (b) => {
      const dz = activation.backward(b.dy);
      let rows: string | undefined;
      // dZ channel-major [O, N*Ho*Wo], shared by the kernel gradient and a 1x1 input gradient.
      const dzRows = () => (rows ??= ops.reshape(ops.transpose(dz, [1, 0, 2, 3], `${name}/dz_cnhw`), [outChannels, -1], `${name}/dz_rows`));
      if (bias?.trainable) b.setGradient(bias, ops.reduceSum(dz, [0, 2, 3], false, `${name}/bias_grad`));
      if (kernel.trainable) b.setGradient(kernel, kernelGradient(ops, input.name, dzRows(), geometry));
      if (!b.inputNeedsGradient[0]) return [undefined];
      return [inputGradient(ops, dz, kernel.name, weight, geometry, dzRows)];
    },
  };
};

interface ConvGeometry {
  name: string;
  kh: number;
  kw: number;
  inChannels: number;
  outChannels: number;
  strides: number[];
  /** [top, left, bottom, right] */
  pads: number[];
  height: number;
  width: number;
  outHeight: number;
  outWidth: number;
}

/**
 * dX, in the form onnxruntime runs fastest (its ConvTranspose goes image by image and was 38 % of a
 * ResNet50 step, most of it in the 2x2 conv5 stage):
 * - 1x1: one Gemm over the whole batch, kernel [C, O] times channel-major dZ [O, N*Ho*Wo]; a stride
 *   puts the result on every s-th pixel (zeros between, as the forward never read them);
 * - k x k, stride 1: a Conv of dZ with the kernel flipped and in/out swapped, padded k-1-pad;
 * - k x k, strided: ConvTranspose with the forward's pads; `output_padding` restores the rows and
 *   columns the conv never read (e.g. 18 -> 8 with a 3x3 stride-2 'valid' conv).
 */
function inputGradient(ops: GraphOps, dz: string, kernel: string, weight: string, g: ConvGeometry, dzRows: () => string): string {
  const [sh, sw] = g.strides;
  const [top, left, bottom, right] = g.pads;
  if (g.kh === 1 && g.kw === 1 && top + left + bottom + right === 0) return pointwiseInputGradient(ops, kernel, g, dzRows());
  if (sh === 1 && sw === 1) {
    const flipped = ops.slice(kernel, [-1, -1], [-g.kh - 1, -g.kw - 1], [0, 1], `${g.name}/kernel_flipped`, [-1, -1]);
    const swapped = ops.transpose(flipped, [2, 3, 0, 1], `${g.name}/kernel_flipped_iohw`);
    return ops.node('Conv', [dz, swapped], `${g.name}/input_grad`, {
      kernel_shape: [g.kh, g.kw],
      strides: [1, 1],
      pads: [g.kh - 1 - top, g.kw - 1 - left, g.kh - 1 - bottom, g.kw - 1 - right],
    });
  }
  const outputPadding = [
    g.height - (sh * (g.outHeight - 1) + g.kh - top - bottom),
    g.width - (sw * (g.outWidth - 1) + g.kw - left - right),
  ];
  return ops.node('ConvTranspose', [dz, weight], `${g.name}/input_grad`, {
    kernel_shape: [g.kh, g.kw],
    strides: g.strides,
    pads: g.pads,
    output_padding: outputPadding,
    group: 1,
  });
}

/** dX of a 1x1 conv: Gemm(kernel [C, O], dZ [O, N*Ho*Wo]) back to NCHW, spread over the strided pixels. */
function pointwiseInputGradient(ops: GraphOps, kernel: string, g: ConvGeometry, dzRows: string): string {
  const { name, inChannels: c, outHeight: ho, outWidth: wo } = g;
  const [sh, sw] = g.strides;
  const rows = ops.node('Gemm', [ops.reshape(kernel, [c, g.outChannels], `${name}/kernel_io`), dzRows], `${name}/input_grad_rows`);
  const nchw = ops.transpose(ops.reshape(rows, [c, -1, ho, wo], `${name}/input_grad_cnhw`), [1, 0, 2, 3], sh === 1 && sw === 1 ? `${name}/input_grad` : `${name}/input_grad_strided`);
  if (sh === 1 && sw === 1) return nchw;
  // [N, C, Ho, 1, Wo, 1] padded to [N, C, Ho, sh, Wo, sw]: each value followed by zeros.
  const spread = ops.node('Pad', [ops.reshape(nchw, [0, c, ho, 1, wo, 1], `${name}/input_grad_6d`), ops.ints([0, 0, 0, 0, 0, 0, 0, 0, 0, sh - 1, 0, sw - 1])], `${name}/input_grad_spread`, { mode: 'constant' });
  // Unpadded, Ho = ceil(H / s): the spread covers the input, one row/column too many for an odd size.
  const exact = ho * sh === g.height && wo * sw === g.width;
  const full = ops.reshape(spread, [0, c, ho * sh, wo * sw], exact ? `${name}/input_grad` : `${name}/input_grad_full`);
  return exact ? full : ops.slice(full, [0, 0], [g.height, g.width], [2, 3], `${name}/input_grad`);
}

/**
 * The kernel gradient, straight in keras HWIO layout: with X and dZ channel-major ([C, N*H*W] and
 * [O, N*Ho*Wo]), dW[ky, kx] = Gemm(X_tap, dZ, transB) where X_tap is the (strided) window of the
 * padded input that tap reads; a 1x1 stride-1 conv is one Gemm over the whole input.
 *
 * Chosen over a Conv of the batch/channel-transposed input with dZ as its kernel. Measured with
 * onnxruntime-node 1.30 on a 3x3 64->64 conv, 16x16, batch 32, 2 intra-op threads, one run on the
 * 2-core machine under load ~16 (so upper bounds; median / best of 10): forward Conv 120 / 79 ms,
 * per-tap Gemm 352 / 211 ms, transposed Conv 421 / 272 ms; ConvTranspose (the input gradient) 240 / 30 ms.
 */
function kernelGradient(ops: GraphOps, x: string, dzRows: string, g: ConvGeometry): string {
  const { name, kh, kw, inChannels, outChannels } = g;
  const [sh, sw] = g.strides;
  let xChannels = ops.transpose(x, [1, 0, 2, 3], `${name}/x_cnhw`);
  const [top, left, bottom, right] = g.pads;
  if (top + left + bottom + right > 0) {
    xChannels = ops.node('Pad', [xChannels, ops.ints([0, 0, top, left, 0, 0, bottom, right])], `${name}/x_padded`, { mode: 'constant' });
  }
  if (kh === 1 && kw === 1 && sh === 1 && sw === 1) {
    const xRows = ops.reshape(xChannels, [inChannels, -1], `${name}/x_rows`);
    const gemm = ops.node('Gemm', [xRows, dzRows], `${name}/kernel_grad_io`, { transB: 1 });
    return ops.reshape(gemm, [1, 1, inChannels, outChannels], `${name}/kernel_grad`);
  }
  const taps: string[] = [];
  for (let ky = 0; ky < kh; ky++) {
    for (let kx = 0; kx < kw; kx++) {
      const tap = ops.slice(
        xChannels,
        [ky, kx],
        [ky + (g.outHeight - 1) * sh + 1, kx + (g.outWidth - 1) * sw + 1],
        [2, 3],
        `${name}/x_tap${ky}${kx}`,
        [sh, sw],
      );
      const rows = ops.reshape(tap, [inChannels, -1], `${name}/x_tap${ky}${kx}_rows`);
      const gemm = ops.node('Gemm', [rows, dzRows], `${name}/kernel_grad_tap${ky}${kx}`, { transB: 1 });
      taps.push(ops.reshape(gemm, [1, inChannels, outChannels], `${name}/kernel_grad_tap${ky}${kx}_3d`));
    }
  }
  const stacked = ops.node('Concat', taps, `${name}/kernel_grad_taps`, { axis: 0 });
  return ops.reshape(stacked, [kh, kw, inChannels, outChannels], `${name}/kernel_grad`);
}

import { windowPads } from '../../convert/layout';
import { trainActivation } from '../activation';
import { layerError, type LayerTrainer } from '../context';
import type { GraphOps } from '../graph-ops';

/**
 * Output pixels per image up to which a conv's forward runs as ONE GEMM over the whole batch
 * instead of onnxruntime's Conv, which multiplies image by image and so reads a big kernel once per
 * image when each image has only a few pixels. A k x k conv's GEMM shares its im2col with the kernel
 * gradient. Measured with onnxruntime-node 1.30, batch 32, C = O, 2 threads (median of 15, ms;
 * im2col + GEMM or GEMM alone where the im2col is shared):
 * - 3x3, 64 ch at 16x16: Conv 3.5, GEMM 3.1 (shared); 128 ch at 8x8: Conv 3.8, GEMM 2.3;
 *   256 ch at 4x4: Conv 3.5, GEMM 2.0; 512 ch at 2x2: Conv 9.0, GEMM 1.8.
 * - 1x1, 4C -> C: Conv beats the GEMM and its transposes at 8x8 (1.3 vs 1.7), ties at 4x4 (1.1 vs
 *   1.2), loses at 2x2 (3.4 vs 1.3).
 */
const GEMM_FORWARD_MAX_PIXELS = { window: 64, pointwise: 4 };
/**
 * Output pixels per image up to which a strided or k x k conv's input gradient is one GEMM and a
 * Col2Im; above it, a Conv of the flipped kernel or a ConvTranspose (see {@link inputGradient}).
 * Same measurements, 3x3 stride 1: 512 ch at 2x2 15.3 (flip + Conv) vs 3.3 ms; 256 ch at 4x4 5.5 vs
 * 3.7; 128 ch at 8x8 4.2 vs 4.2; 64 ch at 16x16 3.6 vs 5.7.
 */
const COL2IM_MAX_PIXELS = 16;

/**
 * Conv2D in the training graph; its kernel input is OIHW (see trainingWeightLayouts), the layout
 * Conv reads. Forward: Conv, or a GEMM over the batch for small outputs
 * ({@link GEMM_FORWARD_MAX_PIXELS}). Backward: bias = ReduceSum; input gradient, see
 * {@link inputGradient} (skipped when the input needs none, as for the first conv); kernel gradient
 * as one GEMM, see {@link kernelGradient}.
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
  const [, outHeight, outWidth] = c.outputShape as number[];
  const geometry: ConvGeometry = { name, kh, kw, inChannels, outChannels, strides, pads, height, width, outHeight, outWidth };
  let columnsValue: string | undefined;
  let kernelRowsValue: string | undefined;
  const columns = () => (columnsValue ??= im2col(ops, input.name, geometry));
  const kernelRows = () => (kernelRowsValue ??= ops.reshape(kernel.name, [outChannels, inChannels * kh * kw], `${name}/kernel_rows`));
  const hasActivation = (config.activation ?? 'linear') !== 'linear';
  const convOutput = hasActivation ? `${c.outputName}/conv` : c.outputName;
  const pixels = outHeight * outWidth;
  const conv =
    pixels <= (kh * kw === 1 ? GEMM_FORWARD_MAX_PIXELS.pointwise : GEMM_FORWARD_MAX_PIXELS.window)
      ? gemmForward(ops, kernelRows(), bias?.name, columns(), geometry, convOutput)
      : ops.node('Conv', bias ? [input.name, kernel.name, bias.name] : [input.name, kernel.name], convOutput, {
          kernel_shape: [kh, kw],
          strides,
          dilations: [1, 1],
          group: 1,
          pads,
        });
  const activation = trainActivation(ops, config.activation, { name: conv, shape: c.outputShape }, c.outputName, name);

  return {
    output: activation.output,
    backward: (b) => {
      const dz = activation.backward(b.dy);
      let rows: string | undefined;
      // dZ channel-major [O, N*Ho*Wo], shared by the kernel gradient and the GEMM input gradients.
      const dzRows = () => (rows ??= ops.reshape(ops.transpose(dz, [1, 0, 2, 3], `${name}/dz_cnhw`), [outChannels, -1], `${name}/dz_rows`));
      if (bias?.trainable) b.setGradient(bias, ops.reduceSum(dz, [0, 2, 3], false, `${name}/bias_grad`));
      if (kernel.trainable) b.setGradient(kernel, kernelGradient(ops, columns(), dzRows(), geometry));
      if (!b.inputNeedsGradient[0]) return [undefined];
      return [inputGradient(ops, dz, kernel.name, kernelRows, geometry, dzRows)];
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
 * ResNet50 step when every input gradient used it, most of it in the 2x2 conv5 stage):
 * - 1x1 stride 1: one Gemm over the whole batch, kernel [O, C] transposed times channel-major dZ [O, N*Ho*Wo];
 * - small outputs ({@link COL2IM_MAX_PIXELS}): the same Gemm into columns, then Col2Im;
 * - k x k, stride 1: a Conv of dZ with the kernel flipped and in/out swapped, padded k-1-pad;
 * - strided (1x1 or k x k): ConvTranspose with the forward's pads; `output_padding` restores the
 *   rows and columns the conv never read (e.g. 18 -> 8 with a 3x3 stride-2 'valid' conv). For a
 *   strided 1x1 conv this beat the Gemm spread onto every s-th pixel by a Pad (ResNet50 64x64 b32
 *   step, idle machine, median of 6: 672 vs 703 ms).
 */
function inputGradient(ops: GraphOps, dz: string, kernel: string, kernelRows: () => string, g: ConvGeometry, dzRows: () => string): string {
  const [sh, sw] = g.strides;
  const [top, left, bottom, right] = g.pads;
  if (g.kh === 1 && g.kw === 1 && top + left + bottom + right === 0 && sh === 1 && sw === 1) return pointwiseInputGradient(ops, kernelRows(), g, dzRows());
  if (g.outHeight * g.outWidth <= COL2IM_MAX_PIXELS) return col2imInputGradient(ops, kernelRows(), g, dzRows());
  if (sh === 1 && sw === 1) {
    const swapped = ops.transpose(kernel, [1, 0, 2, 3], `${g.name}/kernel_iohw`);
    const flipped = ops.slice(swapped, [-1, -1], [-g.kh - 1, -g.kw - 1], [2, 3], `${g.name}/kernel_iohw_flipped`, [-1, -1]);
    return ops.node('Conv', [dz, flipped], `${g.name}/input_grad`, {
      kernel_shape: [g.kh, g.kw],
      strides: [1, 1],
      pads: [g.kh - 1 - top, g.kw - 1 - left, g.kh - 1 - bottom, g.kw - 1 - right],
    });
  }
  const outputPadding = [
    g.height - (sh * (g.outHeight - 1) + g.kh - top - bottom),
    g.width - (sw * (g.outWidth - 1) + g.kw - left - right),
  ];
  // ConvTranspose reads its weight as [C_in, C_out, kh, kw]: the forward's OIHW kernel as it is.
  return ops.node('ConvTranspose', [dz, kernel], `${g.name}/input_grad`, {
    kernel_shape: [g.kh, g.kw],
    strides: g.strides,
    pads: g.pads,
    output_padding: outputPadding,
    group: 1,
  });
}

/** dX of a 1x1 stride-1 conv: Gemm(kernel [O, C]^T, dZ [O, N*Ho*Wo]) back to NCHW. */
function pointwiseInputGradient(ops: GraphOps, kernelRows: string, g: ConvGeometry, dzRows: string): string {
  const { name, inChannels: c, outHeight: ho, outWidth: wo } = g;
  const rows = ops.node('Gemm', [kernelRows, dzRows], `${name}/input_grad_rows`, { transA: 1 });
  return ops.transpose(ops.reshape(rows, [c, -1, ho, wo], `${name}/input_grad_cnhw`), [1, 0, 2, 3], `${name}/input_grad`);
}

/**
 * dX as columns [C*kh*kw, N*Ho*Wo] = kernel [O, C*kh*kw] transposed times dZ [O, N*Ho*Wo] (one
 * Gemm), batch-major for Col2Im, which adds every column back onto the pixels its window read.
 */
function col2imInputGradient(ops: GraphOps, kernelRows: string, g: ConvGeometry, dzRows: string): string {
  const { name, kh, kw, inChannels: c } = g;
  const columns = ops.node('Gemm', [kernelRows, dzRows], `${name}/input_grad_columns`, { transA: 1 });
  const perImage = ops.transpose(ops.reshape(columns, [c * kh * kw, -1, g.outHeight * g.outWidth], `${name}/input_grad_columns_cnp`), [1, 0, 2], `${name}/input_grad_columns_ncp`);
  return ops.node('Col2Im', [perImage, ops.ints([g.height, g.width]), ops.ints([kh, kw])], `${name}/input_grad`, {
    pads: g.pads,
    strides: g.strides,
    dilations: [1, 1],
  });
}

/**
 * The forward of a small-output conv as one Gemm: kernel [O, C*kh*kw] times the im2col of the
 * batch, plus the bias as [O, 1], back from channel-major [O, N, Ho, Wo] to NCHW.
 */
function gemmForward(ops: GraphOps, kernelRows: string, bias: string | undefined, columns: string, g: ConvGeometry, output: string): string {
  const { name, outChannels } = g;
  const inputs = [kernelRows, columns];
  if (bias) inputs.push(ops.reshape(bias, [outChannels, 1], `${name}/bias_column`));
  const rows = ops.node('Gemm', inputs, `${name}/output_rows`);
  return ops.transpose(ops.reshape(rows, [outChannels, -1, g.outHeight, g.outWidth], `${name}/output_cnhw`), [1, 0, 2, 3], output);
}

/**
 * The im2col of the conv's input, [C*kh*kw, N*Ho*Wo]: each tap the strided window of the padded,
 * channel-major input that tap reads, stacked tap-minor so a product with it is OIHW; a 1x1
 * stride-1 conv needs none (the channel-major input itself).
 */
function im2col(ops: GraphOps, x: string, g: ConvGeometry): string {
  const { name, kh, kw, inChannels } = g;
  const [sh, sw] = g.strides;
  let xChannels = ops.transpose(x, [1, 0, 2, 3], `${name}/x_cnhw`);
  const [top, left, bottom, right] = g.pads;
  if (top + left + bottom + right > 0) {
    xChannels = ops.node('Pad', [xChannels, ops.ints([0, 0, top, left, 0, 0, bottom, right])], `${name}/x_padded`, { mode: 'constant' });
  }
  if (kh === 1 && kw === 1 && sh === 1 && sw === 1) return ops.reshape(xChannels, [inChannels, -1], `${name}/x_rows`);
  const taps: string[] = [];
  for (let ky = 0; ky < kh; ky++) {
    for (let kx = 0; kx < kw; kx++) {
      const tap = ops.slice(xChannels, [ky, kx], [ky + (g.outHeight - 1) * sh + 1, kx + (g.outWidth - 1) * sw + 1], [2, 3], `${name}/x_tap${ky}${kx}`, [sh, sw]);
      taps.push(ops.reshape(tap, [inChannels, 1, -1], `${name}/x_tap${ky}${kx}_rows`));
    }
  }
  const stacked = taps.length === 1 ? taps[0] : ops.node('Concat', taps, `${name}/x_im2col`, { axis: 1 });
  return ops.reshape(stacked, [inChannels * kh * kw, -1], `${name}/x_columns`);
}

/**
 * The kernel gradient, straight in OIHW as one Gemm: dW [O, C*kh*kw] = dZ [O, N*Ho*Wo] times the
 * im2col of X transposed ({@link im2col}).
 *
 * Chosen over a Conv of the batch/channel-transposed input with dZ as its kernel, and over one
 * Gemm per tap. Measured with onnxruntime-node 1.30 on a 3x3 64->64 conv, 16x16, batch 32, 2
 * intra-op threads, one run on the 2-core machine under load ~16 (so upper bounds; median / best of
 * 10): forward Conv 120 / 79 ms, per-tap Gemm 352 / 211 ms, transposed Conv 421 / 272 ms. In a whole
 * ResNet50 step (64x64, batch 32, idle machine) per-tap GEMMs in HWIO cost 130 ms, and keeping
 * kernels HWIO cost another 144 ms of kernel transposes.
 */
function kernelGradient(ops: GraphOps, columns: string, dzRows: string, g: ConvGeometry): string {
  const gemm = ops.node('Gemm', [dzRows, columns], `${g.name}/kernel_grad_rows`, { transB: 1 });
  return ops.reshape(gemm, [g.outChannels, g.inChannels, g.kh, g.kw], `${g.name}/kernel_grad`);
}

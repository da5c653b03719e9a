import { windowPads } from '../../convert/layout';
import { trainActivation } from '../activation';
import { layerError, type LayerTrainer } from '../context';
import type { GraphOps } from '../graph-ops';

/**
 * Conv2D in the training graph; its kernel input is OIHW (see trainingWeightLayouts), the layout
 * Conv reads. Forward: Conv. Backward: bias = ReduceSum; input gradient, see {@link inputGradient}
 * (skipped when the input needs none, as for the first conv); kernel gradient as one GEMM, see
 * {@link kernelGradient}.
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
  const convInputs = [input.name, kernel.name];
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
      return [inputGradient(ops, dz, kernel.name, geometry, dzRows)];
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
 * - k x k, stride 1: a Conv of dZ with the kernel flipped and in/out swapped, padded k-1-pad;
 * - strided (1x1 or k x k): ConvTranspose with the forward's pads; `output_padding` restores the
 *   rows and columns the conv never read (e.g. 18 -> 8 with a 3x3 stride-2 'valid' conv). For a
 *   strided 1x1 conv this beat the Gemm spread onto every s-th pixel by a Pad (ResNet50 64x64 b32
 *   step, idle machine, median of 6: 672 vs 703 ms).
 */
function inputGradient(ops: GraphOps, dz: string, kernel: string, g: ConvGeometry, dzRows: () => string): string {
  const [sh, sw] = g.strides;
  const [top, left, bottom, right] = g.pads;
  if (g.kh === 1 && g.kw === 1 && top + left + bottom + right === 0 && sh === 1 && sw === 1) return pointwiseInputGradient(ops, kernel, g, dzRows());
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
function pointwiseInputGradient(ops: GraphOps, kernel: string, g: ConvGeometry, dzRows: string): string {
  const { name, inChannels: c, outHeight: ho, outWidth: wo } = g;
  const rows = ops.node('Gemm', [ops.reshape(kernel, [g.outChannels, c], `${name}/kernel_oi`), dzRows], `${name}/input_grad_rows`, { transA: 1 });
  return ops.transpose(ops.reshape(rows, [c, -1, ho, wo], `${name}/input_grad_cnhw`), [1, 0, 2, 3], `${name}/input_grad`);
}

/**
 * The kernel gradient, straight in OIHW as one Gemm: dW [O, C*kh*kw] = dZ [O, N*Ho*Wo] times the
 * im2col of X, [C*kh*kw, N*Ho*Wo] (each tap the strided window of the padded, channel-major input
 * that tap reads, stacked tap-minor so the product is OIHW); a 1x1 stride-1 conv needs no im2col.
 *
 * Chosen over a Conv of the batch/channel-transposed input with dZ as its kernel, and over one
 * Gemm per tap. Measured with onnxruntime-node 1.30 on a 3x3 64->64 conv, 16x16, batch 32, 2
 * intra-op threads, one run on the 2-core machine under load ~16 (so upper bounds; median / best of
 * 10): forward Conv 120 / 79 ms, per-tap Gemm 352 / 211 ms, transposed Conv 421 / 272 ms. In a whole
 * ResNet50 step (64x64, batch 32, idle machine) per-tap GEMMs in HWIO cost 130 ms, and keeping
 * kernels HWIO cost another 144 ms of kernel transposes.
 */
function kernelGradient(ops: GraphOps, x: string, dzRows: string, g: ConvGeometry): string {
  const { name, kh, kw, inChannels, outChannels } = g;
  const [sh, sw] = g.strides;
  let xChannels = ops.transpose(x, [1, 0, 2, 3], `${name}/x_cnhw`);
  const [top, left, bottom, right] = g.pads;
  if (top + left + bottom + right > 0) {
    xChannels = ops.node('Pad', [xChannels, ops.ints([0, 0, top, left, 0, 0, bottom, right])], `${name}/x_padded`, { mode: 'constant' });
  }
  let columns: string;
  if (kh === 1 && kw === 1 && sh === 1 && sw === 1) {
    columns = ops.reshape(xChannels, [inChannels, -1], `${name}/x_rows`);
  } else {
    const taps: string[] = [];
    for (let ky = 0; ky < kh; ky++) {
      for (let kx = 0; kx < kw; kx++) {
        const tap = ops.slice(xChannels, [ky, kx], [ky + (g.outHeight - 1) * sh + 1, kx + (g.outWidth - 1) * sw + 1], [2, 3], `${name}/x_tap${ky}${kx}`, [sh, sw]);
        taps.push(ops.reshape(tap, [inChannels, 1, -1], `${name}/x_tap${ky}${kx}_rows`));
      }
    }
    const stacked = taps.length === 1 ? taps[0] : ops.node('Concat', taps, `${name}/x_im2col`, { axis: 1 });
    columns = ops.reshape(stacked, [inChannels * kh * kw, -1], `${name}/x_columns`);
  }
  const gemm = ops.node('Gemm', [dzRows, columns], `${name}/kernel_grad_rows`, { transB: 1 });
  return ops.reshape(gemm, [outChannels, inChannels, kh, kw], `${name}/kernel_grad`);
}

import { windowPads } from '../../convert/layout';
import { trainActivation } from '../activation';
import { layerError, type LayerTrainer } from '../context';
import type { GraphOps } from '../graph-ops';

/** keras HWIO [kh, kw, in, out] -> ONNX OIHW [out, in, kh, kw]. */
const HWIO_TO_OIHW = [3, 2, 0, 1];

/**
 * Conv2D in the training graph. Forward: Conv (the HWIO kernel input transposed to OIHW).
 * Backward: bias = ReduceSum; input gradient = ConvTranspose with the forward's pads and strides
 * (skipped when the input needs none, as for the first conv); kernel gradient as GEMMs, see
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
      if (bias?.trainable) b.setGradient(bias, ops.reduceSum(dz, [0, 2, 3], false, `${name}/bias_grad`));
      if (kernel.trainable) b.setGradient(kernel, kernelGradient(ops, input.name, dz, geometry));
      if (!b.inputNeedsGradient[0]) return [undefined];
      return [inputGradient(ops, dz, weight, geometry)];
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
 * dX = ConvTranspose(dZ, W) with the forward's pads; `output_padding` restores the rows and columns
 * a strided conv never read (e.g. 18 -> 8 with a 3x3 stride-2 'valid' conv).
 */
function inputGradient(ops: GraphOps, dz: string, weight: string, g: ConvGeometry): string {
  const [sh, sw] = g.strides;
  const [top, left, bottom, right] = g.pads;
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

/**
 * The kernel gradient, straight in keras HWIO layout: with X and dZ channel-major ([C, N*H*W] and
 * [O, N*Ho*Wo]), dW[ky, kx] = Gemm(X_tap, dZ, transB) where X_tap is the (strided) window of the
 * padded input that tap reads; a 1x1 stride-1 conv is one Gemm over the whole input.
 *
 * Chosen over a Conv of the batch/channel-transposed input with dZ as its kernel, measured with
 * onnxruntime-node 1.30 on a 3x3 64->64 conv, 16x16, batch 32, 2 intra-op threads (loaded 2-core
 * machine, one run; times are upper bounds): see the README's "Training graph" section.
 */
function kernelGradient(ops: GraphOps, x: string, dz: string, g: ConvGeometry): string {
  const { name, kh, kw, inChannels, outChannels } = g;
  const [sh, sw] = g.strides;
  const dzRows = ops.reshape(ops.transpose(dz, [1, 0, 2, 3], `${name}/dz_cnhw`), [outChannels, -1], `${name}/dz_rows`);
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

import { resampleBilinear, fitRegion, regionMap, type Affine } from './resample';
import type { Rng } from './rng';
import type { FitMode, RgbImage } from './types';

/** Training augmentation. Every field is optional; `true` selects the defaults below. */
export interface AugmentationOptions {
  /** Random horizontal flip with probability 0.5. Default true. */
  horizontalFlip?: boolean;
  /** Random resized crop (area fraction `scale`, aspect `ratio`), resized back to the output size. Default { scale: [0.6, 1], ratio: [3/4, 4/3] }; false disables. */
  randomResizedCrop?: { scale?: [number, number]; ratio?: [number, number] } | false;
  /** Rotation by a uniform angle in [-rotationDegrees, rotationDegrees]. Default 10; 0 disables. */
  rotationDegrees?: number;
  /** Colour jitter factors, each drawn in [1 - v, 1 + v]. Default { brightness: 0.2, contrast: 0.2, saturation: 0.2 }; false disables. */
  colorJitter?: { brightness?: number; contrast?: number; saturation?: number } | false;
  /** Mixup with mixing weight ~ Beta(alpha, alpha), applied to a batch with `probability`. Default off. */
  mixup?: { alpha: number; probability?: number } | false;
  /** CutMix with box area ~ Beta(alpha, alpha), applied to a batch with `probability`. Default off. When both are on, each batch picks one at random. */
  cutmix?: { alpha: number; probability?: number } | false;
}

/** Augmentation with every default filled in. */
export interface ResolvedAugmentation {
  horizontalFlip: boolean;
  randomResizedCrop: { scale: [number, number]; ratio: [number, number] } | null;
  rotationDegrees: number;
  colorJitter: { brightness: number; contrast: number; saturation: number } | null;
  mixup: { alpha: number; probability: number } | null;
  cutmix: { alpha: number; probability: number } | null;
}

export function resolveAugmentation(options: AugmentationOptions | boolean | undefined): ResolvedAugmentation | null {
  if (options === false || options === undefined) return null;
  const o: AugmentationOptions = options === true ? {} : options;
  const crop = o.randomResizedCrop;
  const jitter = o.colorJitter;
  return {
    horizontalFlip: o.horizontalFlip ?? true,
    randomResizedCrop: crop === false ? null : { scale: crop?.scale ?? [0.6, 1], ratio: crop?.ratio ?? [3 / 4, 4 / 3] },
    rotationDegrees: o.rotationDegrees ?? 10,
    colorJitter:
      jitter === false ? null : { brightness: jitter?.brightness ?? 0.2, contrast: jitter?.contrast ?? 0.2, saturation: jitter?.saturation ?? 0.2 },
    mixup: o.mixup ? { alpha: o.mixup.alpha, probability: o.mixup.probability ?? 1 } : null,
    cutmix: o.cutmix ? { alpha: o.cutmix.alpha, probability: o.cutmix.probability ?? 1 } : null,
  };
}

function randomCrop(width: number, height: number, rng: Rng, scale: [number, number], ratio: [number, number]): [number, number, number, number] {
  const area = width * height;
  const logLow = Math.log(ratio[0]);
  const logHigh = Math.log(ratio[1]);
  for (let attempt = 0; attempt < 10; attempt++) {
    const target = area * rng.uniform(scale[0], scale[1]);
    const aspect = Math.exp(rng.uniform(logLow, logHigh));
    const w = Math.sqrt(target * aspect);
    const h = Math.sqrt(target / aspect);
    if (w <= width && h <= height) return [rng.uniform(0, width - w), rng.uniform(0, height - h), w, h];
  }
  return [0, 0, width, height];
}

/**
 * Writes one augmented example (float, 0..255 scale, HWC) into `out` at `offset`: random resized
 * crop, flip and rotation are composed into a single bilinear resampling pass, then colour jitter.
 */
export function augmentExample(
  src: RgbImage,
  outWidth: number,
  outHeight: number,
  fit: FitMode,
  config: ResolvedAugmentation,
  rng: Rng,
  out: Float32Array,
  offset: number,
): void {
  const base = fitRegion(src.width, src.height, outWidth, outHeight, fit);
  let [cx0, cy0, cw, ch] = base;
  if (config.randomResizedCrop) {
    const [x, y, w, h] = randomCrop(base[2], base[3], rng, config.randomResizedCrop.scale, config.randomResizedCrop.ratio);
    cx0 += x;
    cy0 += y;
    cw = w;
    ch = h;
  }
  const flip = config.horizontalFlip && rng.bool() ? -1 : 1;
  const theta = config.rotationDegrees > 0 ? (rng.uniform(-config.rotationDegrees, config.rotationDegrees) * Math.PI) / 180 : 0;
  const cos = Math.cos(theta);
  const sin = Math.sin(theta);
  const cx = cx0 + cw / 2;
  const cy = cy0 + ch / 2;
  // Output (x, y) -> crop-centred (u*cw, v*ch) with u = flip*(x/W - 1/2), v = y/H - 1/2 -> rotate -> shift.
  const map: Affine = {
    a: (cos * cw * flip) / outWidth,
    b: (-sin * ch) / outHeight,
    c: cx - (cos * cw * flip) / 2 + (sin * ch) / 2,
    d: (sin * cw * flip) / outWidth,
    e: (cos * ch) / outHeight,
    f: cy - (sin * cw * flip) / 2 - (cos * ch) / 2,
  };
  resampleBilinear(src, outWidth, outHeight, map, out, offset);
  if (config.colorJitter) jitterColors(out, offset, outWidth * outHeight, config.colorJitter, rng);
}

function jitterColors(
  out: Float32Array,
  offset: number,
  pixels: number,
  jitter: { brightness: number; contrast: number; saturation: number },
  rng: Rng,
): void {
  const brightness = rng.uniform(1 - jitter.brightness, 1 + jitter.brightness);
  const contrast = rng.uniform(1 - jitter.contrast, 1 + jitter.contrast);
  const saturation = rng.uniform(1 - jitter.saturation, 1 + jitter.saturation);
  const end = offset + pixels * 3;
  let meanGray = 0;
  for (let i = offset; i < end; i += 3) meanGray += 0.299 * out[i] + 0.587 * out[i + 1] + 0.114 * out[i + 2];
  meanGray = (meanGray / pixels) * brightness;
  for (let i = offset; i < end; i += 3) {
    const r = out[i] * brightness;
    const g = out[i + 1] * brightness;
    const b = out[i + 2] * brightness;
    const gray = 0.299 * r + 0.587 * g + 0.114 * b;
    out[i] = clamp255(((r - gray) * saturation + gray - meanGray) * contrast + meanGray);
    out[i + 1] = clamp255(((g - gray) * saturation + gray - meanGray) * contrast + meanGray);
    out[i + 2] = clamp255(((b - gray) * saturation + gray - meanGray) * contrast + meanGray);
  }
}

function clamp255(v: number): number {
  return v < 0 ? 0 : v > 255 ? 255 : v;
}

/**
 * Mixup or CutMix over a whole batch, in place: example i is mixed with example n-1-i (the batch
 * reversed, as timm does), and labels become the matching soft labels. Returns which one ran.
 */
export function mixBatch(
  xs: Float32Array,
  ys: Float32Array,
  count: number,
  height: number,
  width: number,
  classes: number,
  config: ResolvedAugmentation,
  rng: Rng,
): 'mixup' | 'cutmix' | 'none' {
  if (count < 2 || (!config.mixup && !config.cutmix)) return 'none';
  const useCutmix = config.mixup && config.cutmix ? rng.bool() : Boolean(config.cutmix);
  const settings = useCutmix ? config.cutmix! : config.mixup!;
  if (!rng.bool(settings.probability)) return 'none';
  let lambda = rng.beta(settings.alpha, settings.alpha);
  const xsOriginal = xs.slice(0, count * height * width * 3);
  const ysOriginal = ys.slice(0, count * classes);
  const imageSize = height * width * 3;
  if (useCutmix) {
    const cutRatio = Math.sqrt(1 - lambda);
    const cutH = Math.round(height * cutRatio);
    const cutW = Math.round(width * cutRatio);
    const centreY = rng.int(height);
    const centreX = rng.int(width);
    const y0 = Math.max(0, centreY - (cutH >> 1));
    const y1 = Math.min(height, centreY + cutH - (cutH >> 1));
    const x0 = Math.max(0, centreX - (cutW >> 1));
    const x1 = Math.min(width, centreX + cutW - (cutW >> 1));
    lambda = 1 - ((y1 - y0) * (x1 - x0)) / (height * width);
    for (let n = 0; n < count; n++) {
      const partner = (count - 1 - n) * imageSize;
      for (let y = y0; y < y1; y++) {
        const row = (y * width + x0) * 3;
        const len = (x1 - x0) * 3;
        xs.set(xsOriginal.subarray(partner + row, partner + row + len), n * imageSize + row);
      }
    }
  } else {
    for (let n = 0; n < count; n++) {
      const self = n * imageSize;
      const partner = (count - 1 - n) * imageSize;
      for (let i = 0; i < imageSize; i++) xs[self + i] = lambda * xsOriginal[self + i] + (1 - lambda) * xsOriginal[partner + i];
    }
  }
  for (let n = 0; n < count; n++) {
    const partner = (count - 1 - n) * classes;
    for (let k = 0; k < classes; k++) ys[n * classes + k] = lambda * ysOriginal[n * classes + k] + (1 - lambda) * ysOriginal[partner + k];
  }
  return useCutmix ? 'cutmix' : 'mixup';
}

/** Deterministic evaluation transform: the fitted image as floats (0..255), no randomness. */
export function evalTransform(src: RgbImage, outWidth: number, outHeight: number, fit: FitMode, out: Float32Array, offset: number): void {
  if (src.width === outWidth && src.height === outHeight) {
    const n = outWidth * outHeight * 3;
    for (let i = 0; i < n; i++) out[offset + i] = src.data[i];
    return;
  }
  resampleBilinear(src, outWidth, outHeight, regionMap(fitRegion(src.width, src.height, outWidth, outHeight, fit), outWidth, outHeight), out, offset);
}

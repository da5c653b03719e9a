import type { FitMode, RgbImage } from './types';

/**
 * Affine map from destination pixel centres to source coordinates (both in pixel units, origin at
 * the top-left corner of the image): sx = a*x + b*y + c, sy = d*x + e*y + f.
 */
export interface Affine {
  a: number;
  b: number;
  c: number;
  d: number;
  e: number;
  f: number;
}

/**
 * Bilinear resampling of an RGB uint8 image through `map` into `out` (RGB, HWC) starting at
 * `offset`. Samples outside the source are clamped to the nearest edge pixel. Writing into a
 * Uint8Array rounds; into a Float32Array keeps the fraction (0..255 scale).
 */
export function resampleBilinear(
  src: RgbImage,
  outWidth: number,
  outHeight: number,
  map: Affine,
  out: Uint8Array | Float32Array,
  offset = 0,
): void {
  const { data, width, height } = src;
  const round = out instanceof Uint8Array ? 0.5 : 0;
  const maxX = width - 1;
  const maxY = height - 1;
  let o = offset;
  for (let y = 0; y < outHeight; y++) {
    const cy = y + 0.5;
    for (let x = 0; x < outWidth; x++) {
      const cx = x + 0.5;
      // Source pixel centres sit at integer + 0.5: shift to index space.
      let sx = map.a * cx + map.b * cy + map.c - 0.5;
      let sy = map.d * cx + map.e * cy + map.f - 0.5;
      sx = sx < 0 ? 0 : sx > maxX ? maxX : sx;
      sy = sy < 0 ? 0 : sy > maxY ? maxY : sy;
      const x0 = Math.floor(sx);
      const y0 = Math.floor(sy);
      const x1 = x0 < maxX ? x0 + 1 : x0;
      const y1 = y0 < maxY ? y0 + 1 : y0;
      const fx = sx - x0;
      const fy = sy - y0;
      const i00 = (y0 * width + x0) * 3;
      const i01 = (y0 * width + x1) * 3;
      const i10 = (y1 * width + x0) * 3;
      const i11 = (y1 * width + x1) * 3;
      const w00 = (1 - fx) * (1 - fy);
      const w01 = fx * (1 - fy);
      const w10 = (1 - fx) * fy;
      const w11 = fx * fy;
      out[o] = data[i00] * w00 + data[i01] * w01 + data[i10] * w10 + data[i11] * w11 + round;
      out[o + 1] = data[i00 + 1] * w00 + data[i01 + 1] * w01 + data[i10 + 1] * w10 + data[i11 + 1] * w11 + round;
      out[o + 2] = data[i00 + 2] * w00 + data[i01 + 2] * w01 + data[i10 + 2] * w10 + data[i11 + 2] * w11 + round;
      o += 3;
    }
  }
}

/** Source rectangle [x, y, width, height] that `fit` maps onto an output of the given size. */
export function fitRegion(
  srcWidth: number,
  srcHeight: number,
  outWidth: number,
  outHeight: number,
  fit: FitMode,
): [number, number, number, number] {
  if (fit === 'stretch') return [0, 0, srcWidth, srcHeight];
  const scale = Math.min(srcWidth / outWidth, srcHeight / outHeight);
  const w = outWidth * scale;
  const h = outHeight * scale;
  return [(srcWidth - w) / 2, (srcHeight - h) / 2, w, h];
}

/** Affine map that sends the output rectangle onto the source rectangle [x, y, w, h]. */
export function regionMap(region: [number, number, number, number], outWidth: number, outHeight: number): Affine {
  const [x, y, w, h] = region;
  return { a: w / outWidth, b: 0, c: x, d: 0, e: h / outHeight, f: y };
}

export interface ResizeOptions {
  width: number;
  height: number;
  /** Default 'stretch'. */
  fit?: FitMode;
}

/**
 * Bilinear resize (half-pixel centres, as `tf.image.resizeBilinear` with `halfPixelCenters`) of an
 * RGB uint8 image. With `fit: 'cover'` the short side is scaled to fit and the long side is
 * centre-cropped, so the aspect ratio is kept.
 */
export function resizeRgb(src: RgbImage, options: ResizeOptions): RgbImage {
  const { width, height } = options;
  const fit = options.fit ?? 'stretch';
  if (src.width === width && src.height === height) return { data: src.data.slice(), width, height };
  const out = new Uint8Array(width * height * 3);
  resampleBilinear(src, width, height, regionMap(fitRegion(src.width, src.height, width, height, fit), width, height), out);
  return { data: out, width, height };
}

/** Converts interleaved pixels with 1..4 channels (gray, gray+alpha, RGB, RGBA) to RGB, dropping alpha. */
export function toRgb(data: Uint8Array | Uint8ClampedArray, width: number, height: number, channels: number): RgbImage {
  if (channels === 3) return { data: data instanceof Uint8Array ? data : new Uint8Array(data), width, height };
  const pixels = width * height;
  const out = new Uint8Array(pixels * 3);
  for (let p = 0; p < pixels; p++) {
    const i = p * channels;
    const gray = channels < 3;
    out[p * 3] = data[i];
    out[p * 3 + 1] = gray ? data[i] : data[i + 1];
    out[p * 3 + 2] = gray ? data[i] : data[i + 2];
  }
  return { data: out, width, height };
}

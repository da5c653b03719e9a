import { fitRegion, toRgb } from '../core/resample';
import type { FitMode, RgbImage } from '../core/types';

/** Anything the browser can turn into pixels: files from an <input>, fetched blobs, <img>, canvases, webcam <video> or VideoFrames. */
export type BrowserImageSource = Blob | ImageBitmapSource;

export interface BrowserDecodeOptions {
  width: number;
  height: number;
  /** Default 'stretch'. */
  fit?: FitMode;
}

/**
 * Decodes and resizes one image with `createImageBitmap` and an OffscreenCanvas (the browser's own
 * decoder applies EXIF orientation). Works in windows and workers. A live <video> gives its current frame.
 */
export async function decodeImageSource(source: BrowserImageSource, options: BrowserDecodeOptions): Promise<RgbImage> {
  const { width, height } = options;
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(source);
  } catch (error) {
    throw new Error(`cannot decode image (${(error as Error).message}); use a JPEG, PNG, WebP, GIF or AVIF the browser supports`);
  }
  try {
    const [sx, sy, sw, sh] = fitRegion(bitmap.width, bitmap.height, width, height, options.fit ?? 'stretch');
    const canvas = new OffscreenCanvas(width, height);
    const context = canvas.getContext('2d', { willReadFrequently: true });
    if (!context) throw new Error('OffscreenCanvas 2d context is not available');
    context.imageSmoothingEnabled = true;
    context.imageSmoothingQuality = 'medium';
    context.drawImage(bitmap, sx, sy, sw, sh, 0, 0, width, height);
    const rgba = context.getImageData(0, 0, width, height).data;
    return toRgb(rgba, width, height, 4);
  } finally {
    bitmap.close();
  }
}

/** Describes a source for error messages: a file name where there is one. */
export function describeSource(source: BrowserImageSource, index: number): string {
  if (typeof File !== 'undefined' && source instanceof File) return source.webkitRelativePath || source.name;
  if (typeof HTMLImageElement !== 'undefined' && source instanceof HTMLImageElement) return source.currentSrc || source.src || `image #${index}`;
  return `image #${index}`;
}

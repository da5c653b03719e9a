/**
 * TEMPORARY ADAPTER for `@resnet-ts/data` and `@resnet-ts/data/browser` (announced API:
 * `syntheticShapes`, an `ImageDataset` with `batches()`, browser decoding of File/Blob/canvas).
 * Delete once the package exports these.
 */
import * as tf from '@tensorflow/tfjs';

export interface BatchOptions {
  batchSize: number;
  epoch?: number;
  shuffle?: boolean;
  augment?: boolean;
}

export interface Batch {
  xs: tf.Tensor4D;
  ys: tf.Tensor2D;
}

export interface ImageDataset {
  classNames: string[];
  size: number;
  imageShape: [number, number, number];
  batches(options: BatchOptions): AsyncIterable<Batch>;
}

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SHAPES = ['circle', 'square', 'triangle', 'cross', 'ring', 'star'];

function drawShape(ctx: OffscreenCanvasRenderingContext2D, shape: string, size: number, random: () => number): void {
  ctx.fillStyle = `hsl(${Math.floor(random() * 360)} 30% ${15 + random() * 20}%)`;
  ctx.fillRect(0, 0, size, size);
  const r = size * (0.2 + random() * 0.15);
  const cx = size / 2 + (random() - 0.5) * size * 0.2;
  const cy = size / 2 + (random() - 0.5) * size * 0.2;
  ctx.fillStyle = `hsl(${Math.floor(random() * 360)} 80% 65%)`;
  ctx.strokeStyle = ctx.fillStyle;
  ctx.lineWidth = Math.max(2, size / 12);
  ctx.beginPath();
  if (shape === 'circle') ctx.arc(cx, cy, r, 0, Math.PI * 2);
  else if (shape === 'square') ctx.rect(cx - r, cy - r, 2 * r, 2 * r);
  else if (shape === 'triangle') {
    ctx.moveTo(cx, cy - r);
    ctx.lineTo(cx + r, cy + r);
    ctx.lineTo(cx - r, cy + r);
  } else if (shape === 'cross') {
    ctx.rect(cx - r, cy - r / 3, 2 * r, (2 * r) / 3);
    ctx.rect(cx - r / 3, cy - r, (2 * r) / 3, 2 * r);
  } else if (shape === 'ring') {
    ctx.arc(cx, cy, r, 0, Math.PI * 2);
    ctx.stroke();
    return;
  } else {
    for (let i = 0; i < 10; i++) {
      const radius = i % 2 === 0 ? r : r / 2.5;
      const angle = (Math.PI / 5) * i - Math.PI / 2;
      ctx.lineTo(cx + radius * Math.cos(angle), cy + radius * Math.sin(angle));
    }
  }
  ctx.fill();
}

function canvasPixels(ctx: OffscreenCanvasRenderingContext2D, size: number): Float32Array {
  const rgba = ctx.getImageData(0, 0, size, size).data;
  const out = new Float32Array(size * size * 3);
  for (let i = 0, j = 0; i < rgba.length; i += 4, j += 3) {
    out[j] = rgba[i] / 255;
    out[j + 1] = rgba[i + 1] / 255;
    out[j + 2] = rgba[i + 2] / 255;
  }
  return out;
}

function inMemoryDataset(pixels: Float32Array[], labels: number[], classNames: string[], size: number): ImageDataset {
  const imageShape: [number, number, number] = [size, size, 3];
  return {
    classNames,
    size: pixels.length,
    imageShape,
    async *batches({ batchSize, epoch = 0, shuffle = true }: BatchOptions) {
      const order = pixels.map((_, i) => i);
      if (shuffle) {
        const random = mulberry32(1000 + epoch);
        for (let i = order.length - 1; i > 0; i--) {
          const j = Math.floor(random() * (i + 1));
          [order[i], order[j]] = [order[j], order[i]];
        }
      }
      for (let start = 0; start < order.length; start += batchSize) {
        const ids = order.slice(start, start + batchSize);
        const flat = new Float32Array(ids.length * size * size * 3);
        ids.forEach((id, k) => flat.set(pixels[id], k * size * size * 3));
        const xs = tf.tensor4d(flat, [ids.length, size, size, 3]);
        const ys = tf.tidy(() => tf.oneHot(tf.tensor1d(ids.map((id) => labels[id]), 'int32'), classNames.length)) as tf.Tensor2D;
        yield { xs, ys };
      }
    },
  };
}

export interface SyntheticShapesOptions {
  classes: number;
  count: number;
  imageSize: number;
  seed?: number;
}

export function syntheticShapes({ classes, count, imageSize, seed = 42 }: SyntheticShapesOptions): ImageDataset {
  const random = mulberry32(seed);
  const canvas = new OffscreenCanvas(imageSize, imageSize);
  const ctx = canvas.getContext('2d', { willReadFrequently: true })!;
  const pixels: Float32Array[] = [];
  const labels: number[] = [];
  for (let i = 0; i < count; i++) {
    const label = i % classes;
    drawShape(ctx, SHAPES[label % SHAPES.length], imageSize, random);
    pixels.push(canvasPixels(ctx, imageSize));
    labels.push(label);
  }
  return inMemoryDataset(pixels, labels, SHAPES.slice(0, classes), imageSize);
}

/** Decodes a File/Blob/canvas/video frame into a [size, size, 3] float tensor in [0, 1]. */
export async function decodeImage(source: Blob | ImageBitmapSource, size: number): Promise<tf.Tensor3D> {
  const bitmap = await createImageBitmap(source as ImageBitmapSource);
  try {
    const canvas = new OffscreenCanvas(size, size);
    const ctx = canvas.getContext('2d', { willReadFrequently: true })!;
    ctx.drawImage(bitmap, 0, 0, size, size);
    return tf.tensor3d(canvasPixels(ctx, size), [size, size, 3]);
  } finally {
    bitmap.close();
  }
}

export interface LabelledImage {
  source: Blob | ImageBitmapSource;
  label: number;
}

export async function datasetFromImages(
  images: LabelledImage[],
  options: { classNames: string[]; imageSize: number },
): Promise<ImageDataset> {
  const pixels: Float32Array[] = [];
  for (const image of images) {
    const tensor = await decodeImage(image.source, options.imageSize);
    pixels.push((await tensor.data()) as Float32Array);
    tensor.dispose();
  }
  return inMemoryDataset(pixels, images.map((i) => i.label), options.classNames, options.imageSize);
}

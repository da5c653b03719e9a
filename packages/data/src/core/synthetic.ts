import type { ExampleSource } from './example-source';
import { PipelineDataset, type PipelineOptions, resolveImageSize } from './pipeline';
import { Rng, RngPurpose } from './rng';
import { SHAPE_NAMES, insideShape, type ShapeName } from './shapes';
import type { DatasetSplits, RgbImage } from './types';

/**
 * How hard the synthetic images are. Every level varies shape and background colour, size and position.
 * - `easy`: solid backgrounds, large upright shapes near the centre, no distractor lines, light
 *   noise (std <= 3). A ResNet learns it from scratch in about a hundred steps: the default, so
 *   short demo runs learn.
 * - `normal`: solid, gradient or soft-striped backgrounds, any rotation and position, up to one
 *   distractor line, noise std <= 10.
 * - `hard`: as `normal` with up to two distractor lines, smaller shapes and noise std <= 16.
 */
export type SyntheticDifficulty = 'easy' | 'normal' | 'hard';

export const SYNTHETIC_DIFFICULTIES: readonly SyntheticDifficulty[] = ['easy', 'normal', 'hard'];

/** What each difficulty draws (see {@link SyntheticDifficulty}). */
interface DifficultyParams {
  /** Background styles drawn from: 0 solid, 1 gradient, 2 stripes. */
  styles: number;
  /** Maximum number of distractor lines. */
  maxLines: number;
  /** Shape radius range, as a fraction of the image's shorter side. */
  radius: [number, number];
  /** Default maximum noise std (0..255 scale). */
  noise: number;
  /** Largest rotation away from upright, radians (pi: any angle). */
  rotation: number;
  /** How far the centre may move from the image centre, as a fraction of the room the shape leaves (1: anywhere it fits). */
  shift: number;
}

const DIFFICULTY: Record<SyntheticDifficulty, DifficultyParams> = {
  easy: { styles: 1, maxLines: 0, radius: [0.34, 0.42], noise: 3, rotation: 0, shift: 0.25 },
  normal: { styles: 3, maxLines: 1, radius: [0.24, 0.42], noise: 10, rotation: Math.PI, shift: 1 },
  hard: { styles: 3, maxLines: 2, radius: [0.2, 0.42], noise: 16, rotation: Math.PI, shift: 1 },
};

export interface SyntheticShapesOptions extends PipelineOptions {
  /** How cluttered the images are (see {@link SyntheticDifficulty}). Default `easy`. */
  difficulty?: SyntheticDifficulty;
  /** Number of classes, 2..10: the first N of circle, square, triangle, star, cross, ring, hexagon, crescent, heart, ellipse. Default 6. */
  classes?: number;
  /** Number of examples. Default 1200. */
  count?: number;
  /** Output size (also the size drawn at). Default 64. */
  imageSize?: number | [number, number];
  /** Standard deviation of the Gaussian pixel noise, 0..255 scale, drawn per image in [0, noise]. Default by difficulty: 3 easy, 10 normal, 16 hard. */
  noise?: number;
  /** Index of the first example: datasets with the same seed and disjoint ranges share no image. Default 0. */
  firstIndex?: number;
  /** Shuffle and augment by default (a training set). Default true. */
  training?: boolean;
}

/**
 * Synthetic "shapes": example i is drawn from (seed, i) alone, on plain pixel arrays (no canvas),
 * so it is identical in Node and the browser. Shape colour, size, position, rotation, background
 * (solid, gradient or stripes), line distractors and noise all vary, so colour or position alone
 * do not give the class away. Classes are balanced: example i has class i mod classes.
 */
export function syntheticShapes(options: SyntheticShapesOptions = {}): PipelineDataset {
  const classes = options.classes ?? 6;
  if (!(Number.isInteger(classes) && classes >= 2 && classes <= SHAPE_NAMES.length)) {
    throw new Error(`syntheticShapes: classes must be an integer from 2 to ${SHAPE_NAMES.length}, got ${classes}`);
  }
  const count = options.count ?? 1200;
  if (!(Number.isInteger(count) && count > 0)) throw new Error(`syntheticShapes: count must be a positive integer, got ${count}`);
  const [height, width] = resolveImageSize(options.imageSize, 64);
  const seed = options.seed ?? 0;
  const firstIndex = options.firstIndex ?? 0;
  const difficulty = options.difficulty ?? 'easy';
  const params = DIFFICULTY[difficulty];
  if (!params) throw new Error(`syntheticShapes: difficulty must be one of ${SYNTHETIC_DIFFICULTIES.join(', ')}, got ${String(difficulty)}`);
  const drawing: ShapeDrawingOptions = { difficulty, ...(options.noise !== undefined ? { noise: options.noise } : {}) };
  const shapes = SHAPE_NAMES.slice(0, classes);
  const source: ExampleSource = {
    size: count,
    label: (i) => (firstIndex + i) % classes,
    describe: (i) => `syntheticShapes(seed ${seed})[${firstIndex + i}]`,
    load: async (i) => drawShapeExample(shapes[(firstIndex + i) % classes], width, height, drawing, Rng.at(seed, RngPurpose.synth, firstIndex + i)),
  };
  return new PipelineDataset(source, shapes, { ...options, imageSize: [height, width], training: options.training ?? true, defaultImageSize: 64 });
}

export interface SyntheticShapesSplitOptions extends Omit<SyntheticShapesOptions, 'count' | 'firstIndex' | 'training'> {
  /** Default 1000. */
  trainCount?: number;
  /** Default 200. */
  valCount?: number;
  /** Default 0 (no test split). */
  testCount?: number;
}

/** Train / val / test synthetic sets drawn from disjoint example ranges of one seed. */
export function syntheticShapesSplits(options: SyntheticShapesSplitOptions = {}): DatasetSplits<PipelineDataset> {
  const trainCount = options.trainCount ?? 1000;
  const valCount = options.valCount ?? 200;
  const testCount = options.testCount ?? 0;
  const train = syntheticShapes({ ...options, count: trainCount, firstIndex: 0, training: true });
  const val = syntheticShapes({ ...options, count: valCount, firstIndex: trainCount, training: false });
  if (testCount <= 0) return { train, val };
  return { train, val, test: syntheticShapes({ ...options, count: testCount, firstIndex: trainCount + valCount, training: false }) };
}

type Rgb = [number, number, number];

function randomColor(rng: Rng): Rgb {
  return [rng.int(256), rng.int(256), rng.int(256)];
}

function luminance([r, g, b]: Rgb): number {
  return 0.299 * r + 0.587 * g + 0.114 * b;
}

/** How one example is drawn: a difficulty and an optional override of its maximum noise std. */
export interface ShapeDrawingOptions {
  difficulty: SyntheticDifficulty;
  noise?: number;
}

/** Draws one example. Exported for tests and for previews in the demo. */
export function drawShapeExample(shape: ShapeName, width: number, height: number, drawing: ShapeDrawingOptions, rng: Rng): RgbImage {
  const params = { ...DIFFICULTY[drawing.difficulty], ...(drawing.noise !== undefined ? { noise: drawing.noise } : {}) };
  const data = new Uint8Array(width * height * 3);
  const background = randomColor(rng);
  const background2 = randomColor(rng);
  const style = rng.int(params.styles); // 0 solid, 1 gradient, 2 stripes
  const angle = rng.uniform(0, Math.PI);
  const stripePeriod = rng.uniform(0.08, 0.25) * Math.min(width, height);
  const gx = Math.cos(angle);
  const gy = Math.sin(angle);
  const diagonal = Math.hypot(width, height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const along = (x - width / 2) * gx + (y - height / 2) * gy;
      // Stripes are a soft mix so that the shape edges remain the strongest edges.
      const t = style === 0 ? 0 : style === 1 ? 0.5 + along / diagonal : 0.35 * (0.5 + 0.5 * Math.sin((2 * Math.PI * along) / stripePeriod));
      const o = (y * width + x) * 3;
      data[o] = background[0] * (1 - t) + background2[0] * t;
      data[o + 1] = background[1] * (1 - t) + background2[1] * t;
      data[o + 2] = background[2] * (1 - t) + background2[2] * t;
    }
  }
  const backgroundLuma = (luminance(background) + luminance(background2)) / 2;
  let color = randomColor(rng);
  for (let attempt = 0; attempt < 20 && Math.abs(luminance(color) - backgroundLuma) < 60; attempt++) color = randomColor(rng);

  const size = Math.min(width, height);
  const radius = rng.uniform(params.radius[0], params.radius[1]) * size;
  const roomX = (width / 2 - radius * 0.8) * params.shift;
  const roomY = (height / 2 - radius * 0.8) * params.shift;
  const cx = rng.uniform(width / 2 - roomX, width / 2 + roomX);
  const cy = rng.uniform(height / 2 - roomY, height / 2 + roomY);
  // Hard and normal draw any angle (as uniform(0, 2 pi), so hard images stay as they were).
  const theta = params.rotation >= Math.PI ? rng.uniform(0, 2 * Math.PI) : rng.uniform(-params.rotation, params.rotation);
  drawDistractors(data, width, height, params.maxLines, rng);
  fillShape(data, width, height, shape, cx, cy, radius, theta, color);
  addNoise(data, rng.uniform(0, params.noise), rng);
  return { data, width, height };
}

/** Fills a shape with 4x supersampled coverage, blending into the existing pixels. */
function fillShape(data: Uint8Array, width: number, height: number, shape: ShapeName, cx: number, cy: number, radius: number, theta: number, color: Rgb): void {
  const cos = Math.cos(theta);
  const sin = Math.sin(theta);
  const x0 = Math.max(0, Math.floor(cx - radius - 1));
  const x1 = Math.min(width, Math.ceil(cx + radius + 1));
  const y0 = Math.max(0, Math.floor(cy - radius - 1));
  const y1 = Math.min(height, Math.ceil(cy + radius + 1));
  for (let y = y0; y < y1; y++) {
    for (let x = x0; x < x1; x++) {
      let hits = 0;
      for (let sample = 0; sample < 4; sample++) {
        const dx = (x + (sample & 1 ? 0.75 : 0.25) - cx) / radius;
        const dy = (y + (sample & 2 ? 0.75 : 0.25) - cy) / radius;
        // Rotate the sample into shape-local coordinates.
        if (insideShape(shape, cos * dx + sin * dy, -sin * dx + cos * dy)) hits++;
      }
      if (hits === 0) continue;
      const alpha = hits / 4;
      const o = (y * width + x) * 3;
      for (let c = 0; c < 3; c++) data[o + c] = data[o + c] * (1 - alpha) + color[c] * alpha + 0.5;
    }
  }
}

/** Zero to `maxLines` thin random line segments, so that "any edge" is not a shortcut to the class. */
function drawDistractors(data: Uint8Array, width: number, height: number, maxLines: number, rng: Rng): void {
  const lines = rng.int(maxLines + 1);
  for (let l = 0; l < lines; l++) {
    const color = randomColor(rng);
    const xa = rng.uniform(0, width);
    const ya = rng.uniform(0, height);
    const length = rng.uniform(0.2, 0.5) * Math.min(width, height);
    const direction = rng.uniform(0, 2 * Math.PI);
    const steps = Math.ceil(length * 2);
    const thickness = Math.max(1, Math.round(Math.min(width, height) / 64));
    for (let s = 0; s <= steps; s++) {
      const px = Math.round(xa + (Math.cos(direction) * length * s) / steps);
      const py = Math.round(ya + (Math.sin(direction) * length * s) / steps);
      for (let ty = 0; ty < thickness; ty++) {
        for (let tx = 0; tx < thickness; tx++) {
          const x = px + tx;
          const y = py + ty;
          if (x < 0 || y < 0 || x >= width || y >= height) continue;
          data.set(color, (y * width + x) * 3);
        }
      }
    }
  }
}

/** Standard deviation of the sum of four independent uniform bytes. */
const BYTE_SUM_STD = Math.sqrt((4 * (256 * 256 - 1)) / 12);

/** Near-Gaussian pixel noise: the sum of the four bytes of one random word (Irwin-Hall), no transcendental calls. */
function addNoise(data: Uint8Array, sigma: number, rng: Rng): void {
  if (sigma <= 0) return;
  const scale = sigma / BYTE_SUM_STD;
  for (let i = 0; i < data.length; i++) {
    const word = rng.nextUint32();
    const bytes = (word & 255) + ((word >>> 8) & 255) + ((word >>> 16) & 255) + (word >>> 24);
    const v = data[i] + (bytes - 510) * scale;
    data[i] = v < 0 ? 0 : v > 255 ? 255 : v;
  }
}

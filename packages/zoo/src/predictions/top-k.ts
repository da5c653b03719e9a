/**
 * One ranked class of one image: what every predictor of resnet-ts returns (the trainer's
 * `predict`, the ONNX engine, `@resnet-ts/inference`, `decodePredictions`), and what `resnet
 * predict --json` prints.
 */
export interface ClassScore {
  /** Position of the class in the model's output. */
  index: number;
  /** The class's name (the model card's class names), else the index as a string. */
  className: string;
  /** The model's score for the class: a probability for a softmax head. */
  probability: number;
}

export interface TopKOptions {
  /** How many classes to keep per row, best first. Default 5, capped at the number of classes. */
  k?: number;
  /** Names of the output indices, one per class; default: the index as a string. */
  classNames?: readonly string[];
}

/** Sorts NaN below every number, so a broken score never ranks first. */
const rankKey = (score: number) => (Number.isNaN(score) ? -Infinity : score);

function checkK(k: number, where: string): void {
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`${where}: k must be a positive integer, got ${k}`);
}

/** The best `k` positions of `scores[start..start+length)`, relative to `start`, best first. */
function bestOf(scores: ArrayLike<number>, start: number, length: number, k: number): number[] {
  const keep = Math.min(k, length);
  const best: number[] = [];
  const key = (i: number) => rankKey(scores[start + i]);
  for (let i = 0; i < length; i++) {
    const score = key(i);
    if (best.length === keep) {
      if (score <= key(best[keep - 1])) continue;
      best.pop();
    }
    let at = best.length;
    while (at > 0 && key(best[at - 1]) < score) at--;
    best.splice(at, 0, i);
  }
  return best;
}

/**
 * Indices of the `k` highest scores of `row`, best first. Ties keep the lower index first; NaN
 * ranks last. One pass that keeps the best `k` in order, so k=5 of 1000 classes sorts nothing big.
 */
export function topKIndices(row: ArrayLike<number>, k: number): number[] {
  checkK(k, 'topKIndices');
  return bestOf(row, 0, row.length, k);
}

/**
 * The `k` best classes of each row of a `[rows, classes]` score matrix (flattened, row-major), as
 * `ClassScore`s, best first (ties: lower index first). Class names, when given, must name every
 * class.
 */
export function topKClasses(scores: ArrayLike<number>, rows: number, options: TopKOptions = {}): ClassScore[][] {
  const { k = 5, classNames } = options;
  checkK(k, 'topKClasses');
  const classes = scores.length / rows;
  if (!Number.isInteger(rows) || rows < 1 || !Number.isInteger(classes)) {
    throw new RangeError(`topKClasses: ${scores.length} scores do not split into ${rows} rows`);
  }
  if (classNames && classNames.length !== classes) {
    throw new RangeError(`topKClasses: the model has ${classes} outputs but ${classNames.length} class names were given (one per output)`);
  }
  const ranked: ClassScore[][] = [];
  for (let r = 0; r < rows; r++) {
    const offset = r * classes;
    const top = bestOf(scores, offset, classes, k);
    ranked.push(top.map((index) => ({ index, className: classNames?.[index] ?? String(index), probability: scores[offset + index] })));
  }
  return ranked;
}

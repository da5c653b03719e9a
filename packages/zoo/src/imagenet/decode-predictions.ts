import type * as tf from '@tensorflow/tfjs';
import { topKIndices, type ClassScore } from '../predictions/top-k';
import { loadClassIndex, type ClassIndex, type LoadClassIndexOptions, type ParsedClassIndex } from './class-index';
import { imagenetClassIndex } from './imagenet-classes';

/**
 * One decoded prediction, like a Keras `(wnid, name, score)` tuple: a `ClassScore` whose
 * `className` is the class index's name (`tench`), plus its WordNet id.
 */
export interface DecodedPrediction extends ClassScore {
  wnid: string;
}

export interface DecodePredictionsOptions extends LoadClassIndexOptions {
  /** How many classes per row, best first. Default 5. */
  top?: number;
  /**
   * The class index: an object in Keras's shape, already parsed, or a path / URL to its JSON.
   * Default: the ImageNet classes shipped with zoo (Keras's `imagenet_class_index.json`).
   */
  classIndex?: ClassIndex | ParsedClassIndex | string | URL;
}

async function rowsOf(preds: tf.Tensor | number[][]): Promise<number[][]> {
  if (Array.isArray(preds)) return preds;
  if (preds.rank !== 2) throw new Error(`decodePredictions: expected a [batch, classes] tensor, got shape [${preds.shape.join(',')}]`);
  return (await preds.array()) as number[][];
}

/**
 * Keras's `decode_predictions`: for each row of `preds` ([batch, classes]), the `top` classes with
 * their wnid, name (`className`) and score (`probability`), best first (ties: lower index first).
 * The class index must have as many classes as `preds` columns. The caller's tensor is not disposed.
 */
export async function decodePredictions(preds: tf.Tensor | number[][], options: DecodePredictionsOptions = {}): Promise<DecodedPrediction[][]> {
  const top = options.top ?? 5;
  if (!Number.isInteger(top) || top < 1) throw new Error(`decodePredictions: top must be a positive integer, got ${top}`);
  const source = options.classIndex;
  const index =
    source === undefined
      ? imagenetClassIndex()
      : typeof source === 'object' && 'entries' in source && Array.isArray(source.entries)
        ? (source as ParsedClassIndex)
        : await loadClassIndex(source as ClassIndex | string | URL, options);
  const rows = await rowsOf(preds);
  return rows.map((row, r) => {
    if (row.length !== index.entries.length) {
      throw new Error(`decodePredictions: row ${r} has ${row.length} scores but the class index has ${index.entries.length} classes`);
    }
    return topKIndices(row, top).map((i) => ({ index: i, className: index.entries[i].name, wnid: index.entries[i].wnid, probability: row[i] }));
  });
}

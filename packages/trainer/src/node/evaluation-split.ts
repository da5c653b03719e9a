import type { TrainingDataset } from '../dataset';
import type { DataSourceSpec, OpenedData } from './data-source';

/** Which examples of a data source `evaluate` reads. `all`: every split of the source together. */
export const EVALUATION_SPLITS = ['all', 'train', 'val', 'test'] as const;
export type EvaluationSplit = (typeof EVALUATION_SPLITS)[number];

/**
 * The split to evaluate on when none is asked for: the source's test split when it has one; else,
 * for data the model was not trained on, all of a plain folder or CSV, or the HDF5 examples named
 * by `hdf5Keys`; else val (the part of training data the run held out).
 */
export function defaultEvaluationSplit(spec: Pick<DataSourceSpec, 'kind' | 'hdf5Keys'>, opened: OpenedData, trainedOn: boolean): EvaluationSplit {
  if (opened.test) return 'test';
  if (trainedOn) return 'val';
  if ((spec.kind === 'folder' || spec.kind === 'csv') && !opened.explicitSplits) return 'all';
  if (spec.kind === 'hdf5' && spec.hdf5Keys) return 'all';
  return 'val';
}

/** The dataset of one split; `source` names the data in the error for a split it lacks. */
export function evaluationDataset(opened: OpenedData, split: EvaluationSplit, source: string): TrainingDataset {
  if (split === 'all') return concatDatasets([opened.train, opened.val, ...(opened.test ? [opened.test] : [])]);
  const dataset = opened[split];
  if (!dataset) throw new Error(`${source} has no ${split} split (it has: ${availableSplits(opened).join(', ')})`);
  return dataset;
}

function availableSplits(opened: OpenedData): EvaluationSplit[] {
  return EVALUATION_SPLITS.filter((split) => split === 'all' || opened[split] !== undefined);
}

/**
 * Reads the parts one after the other, for evaluation: each part in its own order, the last batch
 * of each part possibly short. Resuming mid-epoch (`startBatch`) is a training concern and refused.
 */
function concatDatasets(parts: TrainingDataset[]): TrainingDataset {
  const nonEmpty = parts.filter((part) => part.size > 0);
  const [first] = parts;
  return {
    classNames: first.classNames,
    imageShape: first.imageShape,
    size: nonEmpty.reduce((sum, part) => sum + part.size, 0),
    async *batches(options) {
      if (options.startBatch) throw new Error('The "all" evaluation split cannot start mid-epoch (startBatch)');
      for (const part of nonEmpty) yield* part.batches(options);
    },
  };
}

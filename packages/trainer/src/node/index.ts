// Node-only: run directories on disk (checkpoints, resume, metrics, reports).
export {
  trainRun,
  resumeRun,
  finishRun,
  loadRunModel,
  KEEP_CHECKPOINTS,
  type KeepCheckpoints,
  type RunOptions,
  type RunResult,
  type ResumeOptions,
  type LoadedRunModel,
} from './run';
export { readRunInfo, type RunInfo } from './run-json';
export { FolderCheckpointStore } from './checkpoint-folder';
export { RUN_LOCK_FILE } from './run-lock';
export { writeFileAtomic } from '@resnet-ts/zoo/node';
export { openDataSource, detectDataSource, type DataSourceSpec, type DataSourceKind, type OpenedData, type OpenDataOptions } from './data-source';
export { EVALUATION_SPLITS, defaultEvaluationSplit, evaluationDataset, type EvaluationSplit } from './evaluation-split';
export * from './starting-weights/index';

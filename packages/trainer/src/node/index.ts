// Node-only: run directories on disk (checkpoints, resume, metrics, reports).
export { trainRun, resumeRun, finishRun, loadRunModel, type RunOptions, type RunResult, type ResumeOptions, type LoadedRunModel } from './run';
export { readRunInfo, type RunInfo } from './run-json';
export { FolderCheckpointStore } from './checkpoint-folder';
export { writeFileAtomic } from './atomic';
export { openDataSource, detectDataSource, type DataSourceSpec, type DataSourceKind, type OpenedData } from './data-source';
export * from './starting-weights/index';

// Node-only: run directories on disk (checkpoints, resume, metrics, reports).
export { trainRun, resumeRun, finishRun, loadRunModel, readRunInfo, type RunOptions, type RunResult, type ResumeOptions, type LoadedRunModel } from './run';
export { FolderCheckpointStore } from './checkpoint-folder';
export { writeFileAtomic } from './atomic';
export { openDataSource, detectDataSource, type DataSourceSpec, type DataSourceKind, type OpenedData } from './data-source';

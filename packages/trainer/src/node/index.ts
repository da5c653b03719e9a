// Node-only: run directories on disk (checkpoints, resume, metrics, reports).
export { trainRun, resumeRun, finishRun, loadRunModel, readRunInfo, deflate, type RunOptions, type RunResult, type ResumeOptions, type LoadedRunModel } from './run';
export { FolderCheckpointStore, readableFolder } from './checkpoint-folder';
export { writeFileAtomic, replaceFolderAtomic } from './atomic';
export { openDataSource, detectDataSource, type DataSourceSpec, type DataSourceKind, type OpenedData } from './data-source';

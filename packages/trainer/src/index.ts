// Platform-neutral trainer: training loop, metrics, evaluation, prediction, checkpoints in memory,
// HTML reports. File-backed runs and resume live in `@resnet-ts/trainer/node`.
export { train, type TrainOptions, type TrainResult } from './train';
export { resolveTrainConfig, TRAIN_DEFAULTS, DEFAULT_EMA, type TrainConfig, type ResolvedTrainConfig, type EmaOptions } from './config';
export {
  parseRecipe,
  serializeRecipe,
  recipeHash,
  mergeRecipes,
  RECIPE_PRESETS,
  RECIPE_FORMAT,
  RECIPE_VERSION,
  DATA_KINDS,
  ON_ERROR_CHOICES,
  RecipeError,
  formatPath,
  type Recipe,
  type RecipeWithData,
  type RecipeInput,
  type RecipeLayer,
  type RecipeIssue,
  type RecipePath,
  type ModelSection,
  type DataSourceSpec,
  type ResolvedDataSourceSpec,
  type DataSourceKind,
  type OnErrorChoice,
} from './recipe';
export type { Batch, BatchOptions, TrainingDataset } from './dataset';
export { evaluate, type BatchPredictor, type EvaluateOptions, type EvaluationResult, type MisclassifiedSample } from './evaluate';
export { predict, type PredictOptions } from './predict';
export {
  Optimizer,
  registerOptimizer,
  listOptimizers,
  type OptimizerSpec,
  type OptimizerState,
  type OptimizerDefinition,
  type CustomOptimizerSpecs,
  type RuleStep,
  type ParamUpdate,
} from './optimizers';
export {
  createSchedule,
  registerSchedule,
  listSchedules,
  type ScheduleSpec,
  type ScheduleContext,
  type LrSchedule,
  type ScheduleDefinition,
  type CustomScheduleSpecs,
} from './schedules';
export { categoricalCrossEntropy, type LossOptions } from './loss';
export { ConfusionMatrix, type ClassMetrics, type ClassificationReport } from './metrics';
export { trainStep, type StepOptions, type StepResult } from './train-step';
export { applyTransfer, type TransferOptions, type FeatureCacheOptions } from './transfer';
export type { FeatureCacheInfo, PrecomputedFeatures } from './features/cached-features';
// The pieces of feature caching an app needs to cache features itself (the demo computes each
// image's features once, when the image is added, and trains the head on them).
export { splitAtHead, type SplitModel } from './features/split-model';
export { featureDataset, type FeatureDatasetOptions } from './features/feature-dataset';
export { computeFeatureTable, type FeatureTable, type FeatureTableOptions } from './features/feature-table';
export { WeightEma } from './ema';
export { NonFiniteLossError, StartingWeightsError } from './errors';
export { startingNormalization, type StartingWeightsOrigin, type StartingNormalizationOptions, type StartingNormalization } from './starting-normalization';
export {
  MemoryCheckpointStore,
  disposeCheckpoint,
  type CheckpointStore,
  type CheckpointData,
  type CheckpointTag,
  type TrainingState,
  type EpochTotals,
  type StepRecord,
} from './checkpoint';
export type {
  TrainerCallback,
  TrainerContext,
  BatchLogs,
  EpochLogs,
  TrainBeginLogs,
  TrainEndLogs,
  StopReason,
  CallbackState,
} from './callbacks/types';
export { progressCallback, type ProgressOptions } from './callbacks/progress';
export { MetricMonitor, monitorMode, type MonitorState } from './callbacks/monitor';
export { EarlyStopping, type EarlyStoppingOptions } from './callbacks/early-stopping';
export { ModelCheckpoint, type ModelCheckpointOptions, type BestMetric } from './callbacks/model-checkpoint';
export { EmaCallback } from './callbacks/ema-callback';
export { PreciseBnCallback, type PreciseBnCallbackOptions } from './callbacks/precise-bn-callback';
export { TransferStages } from './callbacks/transfer-stages';
export { ReduceLrOnPlateau, type ReduceLrOnPlateauOptions } from './callbacks/reduce-lr-on-plateau';
export { tfjsEngine } from './engine/tfjs-engine';
export type { StepEngine, StepEngineFactory, EngineOptions, EngineWeightAverage } from './engine/step-engine';
export { historyToCsv, toJsonl } from './callbacks/history-format';
export { renderReport, type ReportInput } from './report/html';
export { encodePng, type ZlibDeflate } from './report/png';
export { KeyValueCheckpointStore, type KeyValueStore } from './key-value-store';
export { loggerCallback, type LoggerOptions } from './callbacks/logger';
export { preciseBnBatches, recalibrateBatchNorm, type PreciseBnOptions } from './precise-bn';

import { registerConvert } from './convert';
import { registerInfo } from './info';
import { registerModels } from './models';
import { registerSummary } from './summary';
import { registerEvaluate } from './evaluate';
import { registerExport } from './export';
import { registerPredict } from './predict';
import { registerTrain } from './train';
import type { RegisterCommand } from './types';

export type { RegisterCommand } from './types';

/**
 * Every `resnet` subcommand, in the order `resnet --help` lists them. To add one, write
 * `src/commands/<name>.ts` exporting a RegisterCommand and add it here (one import, one entry).
 */
export const COMMANDS: readonly RegisterCommand[] = [
  registerInfo,
  registerModels,
  registerSummary,
  registerConvert,
  registerTrain,
  registerEvaluate,
  registerPredict,
  registerExport,
];

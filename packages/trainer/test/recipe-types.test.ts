// Type-level contract (checked by tsc): the schema-derived TrainConfig and ResolvedTrainConfig are
// exactly the hand-written types of 0.1, so code written against those compiles unchanged.
import { expectTypeOf, it } from 'vitest';
import type { EarlyStoppingOptions, EmaOptions, OptimizerSpec, ResolvedTrainConfig, ScheduleSpec, TrainConfig, TransferOptions } from '../src/index';
import type { DataSourceSpec } from '../src/node';

interface TrainConfigV01 {
  epochs?: number;
  batchSize?: number;
  lr?: number;
  optimizer?: OptimizerSpec;
  schedule?: ScheduleSpec;
  weightDecay?: number;
  labelSmoothing?: number;
  clipNorm?: number;
  seed?: number;
  shuffle?: boolean;
  augment?: boolean;
  dropRemainder?: boolean;
  maxStepsPerEpoch?: number;
  maxValBatches?: number;
  monitor?: string;
  earlyStopping?: EarlyStoppingOptions | false;
  checkpointEverySteps?: number;
  preciseBnBatches?: number;
  ema?: { decay?: number; evaluate?: boolean; applyAtEnd?: boolean } | false;
  transfer?: TransferOptions;
  metadata?: Record<string, unknown>;
}
type ResolvedV01 = Required<Omit<TrainConfigV01, 'transfer' | 'metadata' | 'maxStepsPerEpoch' | 'maxValBatches'>> &
  Pick<TrainConfigV01, 'transfer' | 'metadata' | 'maxStepsPerEpoch' | 'maxValBatches'>;

it('keeps the 0.1 shapes of TrainConfig, ResolvedTrainConfig and EmaOptions', () => {
  expectTypeOf<TrainConfig>().toEqualTypeOf<TrainConfigV01>();
  // Assignable both ways (toEqualTypeOf cannot compare an intersection with a union inside).
  expectTypeOf<ResolvedTrainConfig>().toMatchTypeOf<ResolvedV01>();
  expectTypeOf<ResolvedV01>().toMatchTypeOf<ResolvedTrainConfig>();
  expectTypeOf<keyof ResolvedTrainConfig>().toEqualTypeOf<keyof ResolvedV01>();
  expectTypeOf<EmaOptions | false>().toEqualTypeOf<NonNullable<TrainConfigV01['ema']>>();
});

it('still accepts a 0.1 DataSourceSpec', () => {
  expectTypeOf<{ kind: 'folder'; path: string; imageSize: [number, number]; normalization: 'unit'; augmentation: boolean; seed: number }>().toMatchTypeOf<DataSourceSpec>();
});

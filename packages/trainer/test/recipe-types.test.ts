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
/** 0.2 adds two optional EMA settings: code written against 0.1 still compiles. */
interface TrainConfigV02 extends Omit<TrainConfigV01, 'ema'> {
  ema?: { decay?: number; evaluate?: boolean; applyAtEnd?: boolean; every?: number; warmup?: boolean } | false;
}
type ResolvedV01 = Required<Omit<TrainConfigV02, 'transfer' | 'metadata' | 'maxStepsPerEpoch' | 'maxValBatches'>> &
  Pick<TrainConfigV02, 'transfer' | 'metadata' | 'maxStepsPerEpoch' | 'maxValBatches'>;

it('keeps the 0.1 shapes of TrainConfig, ResolvedTrainConfig and EmaOptions (plus 0.2\'s optional EMA settings)', () => {
  expectTypeOf<TrainConfig>().toEqualTypeOf<TrainConfigV02>();
  expectTypeOf<TrainConfigV01>().toMatchTypeOf<TrainConfig>();
  // Assignable both ways (toEqualTypeOf cannot compare an intersection with a union inside).
  expectTypeOf<ResolvedTrainConfig>().toMatchTypeOf<ResolvedV01>();
  expectTypeOf<ResolvedV01>().toMatchTypeOf<ResolvedTrainConfig>();
  expectTypeOf<keyof ResolvedTrainConfig>().toEqualTypeOf<keyof ResolvedV01>();
  expectTypeOf<EmaOptions | false>().toEqualTypeOf<NonNullable<TrainConfigV02['ema']>>();
});

it('still accepts a 0.1 DataSourceSpec', () => {
  expectTypeOf<{ kind: 'folder'; path: string; imageSize: [number, number]; normalization: 'unit'; augmentation: boolean; seed: number }>().toMatchTypeOf<DataSourceSpec>();
});

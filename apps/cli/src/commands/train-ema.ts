import { Option, type Command } from 'commander';
import { DEFAULT_EMA } from '@resnet-ts/trainer';
import { UsageError } from '../errors';
import { fraction, positiveInteger } from '../options';

/** `--ema`, `--no-ema`, `--ema-every`, `--ema-warmup`: the weight EMA (training.ema). */
export function addEmaOptions(command: Command): Command {
  return command
    .addOption(
      new Option('--ema <decay>', `weight EMA decay per step (default: EMA on, decay ${DEFAULT_EMA.decay}, every ${DEFAULT_EMA.every} steps, with warmup)`).argParser(fraction),
    )
    .option('--no-ema', 'no weight EMA: validate and keep the trained weights themselves')
    .addOption(new Option('--ema-every <steps>', `update the average every this many steps, at decay^steps (default ${DEFAULT_EMA.every})`).argParser(positiveInteger))
    .option('--ema-warmup', "timm's EMA warmup: a smaller decay over the first steps (default)")
    .option('--no-ema-warmup', 'the same decay from the first step on');
}

/**
 * Folds the EMA flags (or flat config keys) into one `training.ema` value: each flag changes the
 * default EMA, so `--ema 0.99` keeps its schedule (every 8 steps, warmup) and only the decay changes.
 */
export function combineEmaSettings(settings: Readonly<Record<string, unknown>>, where: string): Record<string, unknown> {
  const { ema, emaEvery, emaWarmup, ...rest } = settings;
  if (ema === undefined && emaEvery === undefined && emaWarmup === undefined) return rest;
  if (ema === false) {
    if (emaEvery !== undefined || emaWarmup !== undefined) throw new UsageError(`${where}--ema-every and --ema-warmup set up the weight EMA that --no-ema turns off`);
    return { ...rest, ema: false };
  }
  const given = { decay: ema, every: emaEvery, warmup: emaWarmup };
  return { ...rest, ema: { ...DEFAULT_EMA, ...Object.fromEntries(Object.entries(given).filter(([, value]) => value !== undefined)) } };
}

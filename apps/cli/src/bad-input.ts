import { Option } from 'commander';
import { UnreadableExampleError } from '@resnet-ts/data';
import { ON_ERROR_CHOICES } from '@resnet-ts/trainer';
import { CliError } from './errors';
import { warnLine } from './output';

/** `--on-error fail|skip`, the same flag on train, evaluate and predict. */
export function onErrorOption(skipped: string): Option {
  return new Option('--on-error <mode>', `an image that cannot be read: fail (stop, naming it; default) or skip (warn per image, ${skipped})`).choices(
    ON_ERROR_CHOICES,
  );
}

/** `--allow-outside-root` of the commands that read a data set. */
export const ALLOW_OUTSIDE_ROOT_HELP = 'read links and CSV paths that lead outside the data folder (or the CSV\'s folder); default: refuse them';

/** The hint of an image that cannot be read, in the CLI's words: the flag, not the library option. */
export function rewordUnreadable(error: unknown): unknown {
  if (error instanceof UnreadableExampleError) return new CliError(`${error.detail} (--on-error skip leaves unreadable images out)`);
  return error;
}

/** One line after a run that left images out: how many, the warnings above said which. */
export function warnSkipped(count: number, what: string): void {
  if (count > 0) warnLine(`resnet: skipped ${count} unreadable image${count === 1 ? '' : 's'} ${what} (--on-error skip; see the warnings above)`);
}

import { CommanderError } from 'commander';
import { createProgram } from './program';
import { CliError, EXIT } from './errors';
import { warnLine } from './output';

/** Runs the CLI on `argv` (as `process.argv`) and returns the exit code; never exits itself. */
export async function run(argv: readonly string[]): Promise<number> {
  try {
    await createProgram().parseAsync([...argv]);
    return EXIT.ok;
  } catch (error) {
    return reportError(error);
  }
}

function reportError(error: unknown): number {
  if (error instanceof CommanderError) {
    // --help and --version end here with code 0; everything else is a usage error commander printed.
    return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
  }
  const message = error instanceof Error ? error.message : String(error);
  warnLine(`resnet: ${message}`);
  if (process.env.RESNET_DEBUG === '1' && error instanceof Error && error.stack) warnLine(error.stack);
  return error instanceof CliError ? error.exitCode : EXIT.failure;
}

/** Exit codes of the `resnet` binary. */
export const EXIT = {
  ok: 0,
  /** A command failed: bad data, a missing file, an unavailable backend. */
  failure: 1,
  /** The command line itself is wrong: unknown flag, bad value, missing argument. */
  usage: 2,
} as const;

/** An error the CLI reports as one line on stderr, exiting with `exitCode`. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT.failure,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/** A command line that cannot run as written; exits 2 like commander's own usage errors. */
export class UsageError extends CliError {
  constructor(message: string) {
    super(message, EXIT.usage);
    this.name = 'UsageError';
  }
}

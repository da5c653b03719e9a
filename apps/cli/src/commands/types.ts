import type { Command } from 'commander';
import type { CliContext } from '../context';

/**
 * A command module: adds one subcommand to the root program with `program.command(name)` (not
 * `addCommand`, so it inherits the root's exit and error-output settings).
 */
export type RegisterCommand = (program: Command, context: CliContext) => void;

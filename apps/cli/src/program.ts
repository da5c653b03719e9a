import { Command, Option } from 'commander';
import { version } from '../package.json';
import { BACKEND_CHOICES } from './backend';
import { COMMANDS } from './commands';
import { createContext } from './context';
import { positiveInteger } from './options';

/** The root `resnet` program with its global options and every registered command. */
export function createProgram(): Command {
  const program = new Command('resnet')
    .description('Build, inspect, train and convert ResNet image classifiers with TensorFlow.js')
    .version(version, '-V, --version', 'print the version')
    .helpOption('-h, --help', 'show help')
    .addOption(
      new Option('--backend <name>', 'tfjs backend; auto tries tensorflow-gpu, tensorflow, wasm, cpu in that order')
        .choices(BACKEND_CHOICES)
        .default('auto')
        .env('RESNET_BACKEND'),
    )
    .addOption(
      new Option('--threads <n>', 'threads for the wasm and tensorflow backends (default: the backend decides)').argParser(
        positiveInteger,
      ),
    )
    // Usage errors (unknown flag, bad value, missing argument) throw a CommanderError instead of
    // exiting, so the entry point maps them to exit code 2; commander has already printed them.
    .exitOverride()
    .showHelpAfterError('(add --help for usage)')
    .showSuggestionAfterError(true)
    .addHelpText(
      'after',
      [
        '',
        'Environment:',
        '  RESNET_BACKEND   default for --backend (the flag wins)',
        '  RESNET_DEBUG=1   print stack traces with errors',
        '',
        'Exit codes: 0 success, 1 the command failed, 2 usage error (unknown flag, bad value).',
      ].join('\n'),
    );

  const context = createContext(program);
  for (const register of COMMANDS) register(program, context);
  return program;
}

import type { Command } from 'commander';
import { BackendUnavailableError, fallbackNotice, selectBackend, type BackendChoice, type BackendReport } from './backend';
import { CliError } from './errors';
import { warnLine } from './output';

/** Options every command accepts (declared on the root program). */
export interface GlobalOptions {
  backend: BackendChoice;
  threads?: number;
}

/** What a command gets besides its own flags. */
export interface CliContext {
  /** The global options as parsed (flag, then `RESNET_BACKEND`, then defaults). */
  globals(): GlobalOptions;
  /**
   * Starts the backend the global options ask for, once, and reports it. Commands that touch
   * tensors call this first; commands that do not (e.g. `models`) never pay for it.
   */
  backend(): Promise<BackendReport>;
}

export function createContext(program: Command): CliContext {
  let started: Promise<BackendReport> | undefined;
  const globals = () => program.opts<GlobalOptions>();
  return {
    globals,
    backend: () => (started ??= startBackend(globals())),
  };
}

async function startBackend({ backend, threads }: GlobalOptions): Promise<BackendReport> {
  try {
    const report = await selectBackend(backend, { threads });
    const notice = fallbackNotice(report);
    if (notice) warnLine(notice);
    return report;
  } catch (error) {
    if (error instanceof BackendUnavailableError) {
      const fix = error.installHint ? `Install it with \`${error.installHint}\`, or choose` : 'Choose';
      throw new CliError(
        `--backend ${error.backend}: ${error.reason}. ${fix} another backend (--backend auto picks the best available).`,
      );
    }
    throw error;
  }
}

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
   * Starts the backend the global options ask for, once, and reports it; with `auto`, a fallback
   * from a faster backend is one stderr line. Commands that compute with tensors (train,
   * evaluate, predict, info) call this first.
   */
  backend(): Promise<BackendReport>;
  /**
   * A backend to hold weights for commands that build, load or save models without computing
   * (models, summary, convert, a tfjs export). With `auto` that is cpu: it starts at once, and
   * there is no faster backend to miss, so nothing is printed. A backend asked for by name
   * (`--backend`, `RESNET_BACKEND`) is still started as asked.
   */
  weightsBackend(): Promise<BackendReport>;
}

export function createContext(program: Command): CliContext {
  let started: Promise<BackendReport> | undefined;
  const globals = () => program.opts<GlobalOptions>();
  return {
    globals,
    backend: () => (started ??= startBackend(globals())),
    weightsBackend: () => {
      const options = globals();
      return (started ??= startBackend(options.backend === 'auto' ? { ...options, backend: 'cpu' } : options));
    },
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

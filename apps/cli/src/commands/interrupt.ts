import { warnLine } from '../output';

/** The signals that stop training gracefully: Ctrl-C, and what docker stop, Kubernetes, systemd and `timeout` send. */
const GRACEFUL = { SIGINT: 2, SIGTERM: 15 } as const;
type GracefulSignal = keyof typeof GRACEFUL;

/** Exit code after a signal stopped training with a saved checkpoint: 128 + the signal number, as shells report. */
export const exitCodeOf = (signal: GracefulSignal): number => 128 + GRACEFUL[signal];

export interface Interrupt {
  /** Aborted by the first SIGINT or SIGTERM. */
  signal: AbortSignal;
  /** The signal that arrived, if any. */
  received(): GracefulSignal | undefined;
  release(): void;
}

/**
 * First SIGINT or SIGTERM: abort (the trainer finishes the current step, saves a checkpoint and
 * returns). A second one of either: exit at once with the first one's code, without saving.
 */
export function interruptOnSignals(): Interrupt {
  const controller = new AbortController();
  let received: GracefulSignal | undefined;
  const handlers = (Object.keys(GRACEFUL) as GracefulSignal[]).map((name) => {
    const handler = () => {
      if (received) process.exit(exitCodeOf(received));
      received = name;
      warnLine(`resnet: ${name === 'SIGINT' ? 'interrupted' : 'terminated (SIGTERM)'}; saving a checkpoint (send it again to quit without saving)`);
      controller.abort();
    };
    process.on(name, handler);
    return [name, handler] as const;
  });
  return {
    signal: controller.signal,
    received: () => received,
    release: () => {
      for (const [name, handler] of handlers) process.off(name, handler);
    },
  };
}

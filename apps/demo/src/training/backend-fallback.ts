/**
 * When a run breaks on its backend (a NaN loss, zeros read back, a GPU error), the page stops,
 * says why, and offers the next backend in the startup order with one button that switches and
 * trains again.
 */
import * as tf from '@tensorflow/tfjs';
import { nextBackend } from '../backend/backends';
import { switchBackend } from '../backend/switch-backend';
import type { AppState } from '../state/app-state';
import { describeError, type Notices } from '../ui/notices';

export interface FallbackDeps {
  state: AppState;
  notices: Notices;
  /** Starts the same training again (after the switch). */
  retry: () => void;
}

export function reportBrokenRun(message: string, { state, notices, retry }: FallbackDeps): void {
  const current = tf.getBackend();
  const next = nextBackend(current);
  if (!next) return notices.error(`${message} There is no other backend to try here.`);
  notices.error(`${message} Try the ${next} backend.`, {
    label: `Switch to ${next} and train again`,
    run: async () => {
      let switched: boolean;
      try {
        switched = await switchBackend(next, state.current?.model);
      } catch (error) {
        // The broken backend could not hand the weights over: start the new one without them.
        state.setModel(undefined);
        switched = await switchBackend(next).catch(() => false);
        if (switched) notices.info(`The model on ${current} could not be moved (${describeError(error)}); it was dropped.`);
      }
      if (!switched) return notices.error(`The ${next} backend could not start in this browser.`);
      state.backendChanged(next);
      retry();
    },
  });
}

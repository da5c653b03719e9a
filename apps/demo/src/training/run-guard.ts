/**
 * Stops a run whose numbers cannot be right, so the page never says "Done" over a broken run.
 * The trainer already throws on a NaN or infinite loss; this adds the ways a GPU backend fails
 * without an exception: a loss of exactly 0 with 0 % accuracy (a zero loss means every prediction
 * is right, so this is a read of zeros from a device that stopped computing), gradients that are
 * all exactly zero under a positive loss (a softmax head's bias alone gets p - y, which is not
 * zero while the loss is not), and a WebGPU validation or out-of-memory error, which arrives as an
 * event on the device, not as an exception from the op that caused it.
 */
import * as tf from '@tensorflow/tfjs';
import type { BatchLogs, TrainerCallback } from '@resnet-ts/trainer';

/** A non-finite loss in the trainer's words (its NonFiniteLossError says them the same way). */
const nonFiniteInWords = (value: number) => (Number.isNaN(value) ? 'NaN (not a number)' : value > 0 ? 'infinity' : 'minus infinity');

export class BrokenRunError extends Error {
  constructor(
    readonly backend: string,
    detail: string,
  ) {
    super(`Training on ${backend} went wrong: ${detail}`);
    this.name = 'BrokenRunError';
  }
}

interface GpuErrorTarget {
  addEventListener(type: 'uncapturederror', listener: (event: { error: { message: string } }) => void): void;
  removeEventListener(type: 'uncapturederror', listener: (event: { error: { message: string } }) => void): void;
}

/** The WebGPU device of the active backend, when it is webgpu. */
function webgpuDevice(): GpuErrorTarget | undefined {
  if (tf.getBackend() !== 'webgpu') return undefined;
  return (tf.backend() as unknown as { device?: GpuErrorTarget }).device;
}

export interface RunGuard {
  /** A callback for `train()`: throws `BrokenRunError` at the first step that is not believable. */
  callback: TrainerCallback;
  /** Stops listening to the device. */
  dispose(): void;
}

export function createRunGuard(): RunGuard {
  const backend = tf.getBackend();
  const device = webgpuDevice();
  let deviceError: string | undefined;
  const onError = (event: { error: { message: string } }) => {
    deviceError ??= event.error.message;
  };
  device?.addEventListener('uncapturederror', onError);
  const check = ({ step, loss, accuracy, gradNorm }: BatchLogs) => {
    if (deviceError) throw new BrokenRunError(backend, `the GPU reported an error at step ${step}: ${deviceError}`);
    if (!Number.isFinite(loss)) throw new BrokenRunError(backend, `the loss became ${nonFiniteInWords(loss)} at step ${step}.`);
    if (loss === 0 && accuracy === 0) {
      throw new BrokenRunError(backend, `step ${step} read a loss of 0 with 0 % accuracy, which cannot both be true: the backend returned zeros.`);
    }
    if (gradNorm === 0 && loss > 0) {
      throw new BrokenRunError(
        backend,
        `step ${step} computed a loss of ${loss.toFixed(3)} but gradients that are all exactly zero: the backend returned zeros, or nothing in the model can learn (every trainable layer frozen or every activation dead).`,
      );
    }
  };
  return {
    callback: {
      onBatchEnd: (_batch, logs) => check(logs),
    },
    dispose: () => device?.removeEventListener('uncapturederror', onError),
  };
}

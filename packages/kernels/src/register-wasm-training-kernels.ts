import * as tf from '@tensorflow/tfjs';
import { fusedBatchNormGradConfig } from './gradients/fused-batch-norm-grad';
import { meanGradConfig } from './gradients/mean-grad';
import { batchMatMulConfig } from './kernels/batch-mat-mul';
import { conv2DBackpropFilterConfig } from './kernels/conv2d-backprop-filter';
import { conv2DBackpropInputConfig } from './kernels/conv2d-backprop-input';
import { fusedBatchNormConfig } from './kernels/fused-batch-norm';
import { castConfig, identityConfig } from './kernels/identity-alias';
import { meanConfig, sumConfig } from './kernels/leading-axes-reduce';
import { maxPoolGradConfig } from './kernels/max-pool-grad';
import { reluConfig } from './kernels/relu';
import { tileConfig } from './kernels/tile';
import { transposeConfig } from './kernels/transpose';
import { WASM } from './wasm/stock-kernels';

let registered = false;

function kernelConfigs(): tf.KernelConfig[] {
  // Factories capture the stock kernel they wrap before it is unregistered.
  return [
    conv2DBackpropFilterConfig,
    conv2DBackpropInputConfig(),
    batchMatMulConfig(),
    sumConfig(),
    meanConfig(),
    maxPoolGradConfig(),
    identityConfig(),
    castConfig(),
    tileConfig(),
    transposeConfig(),
    fusedBatchNormConfig(),
    reluConfig(),
  ];
}

function gradientConfigs(): tf.GradConfig[] {
  const original = tf.getGradient(tf.FusedBatchNorm);
  if (original == null) throw new Error('@resnet-ts/kernels: tfjs-core registers no FusedBatchNorm gradient.');
  return [fusedBatchNormGradConfig(original), meanGradConfig()];
}

/** Kernels (on the wasm backend) and gradients (on every backend) this package provides. */
export function trainingKernelNames(): { kernels: string[]; gradients: string[] } {
  return {
    kernels: kernelConfigs().map((config) => config.kernelName),
    gradients: gradientConfigs().map((config) => config.kernelName),
  };
}

/** Whether {@link registerWasmTrainingKernels} has run in this process. */
export function wasmTrainingKernelsRegistered(): boolean {
  return registered;
}

/**
 * Adds Conv2DBackpropFilter to the tfjs wasm backend and replaces the kernels a ResNet training
 * step spends its time in with fast ones (see {@link trainingKernelNames}). Idempotent; call it
 * before or after the wasm backend is initialized.
 *
 * The FusedBatchNorm and Mean gradients it installs are backend-neutral (same math, fewer
 * full-size passes) and apply to every backend.
 */
export function registerWasmTrainingKernels(): void {
  if (registered) return;
  const kernels = kernelConfigs();
  const gradients = gradientConfigs();
  for (const config of kernels) {
    if (tf.getKernel(config.kernelName, WASM) != null) tf.unregisterKernel(config.kernelName, WASM);
    tf.registerKernel(config);
  }
  for (const config of gradients) tf.registerGradient(config);
  registered = true;
}

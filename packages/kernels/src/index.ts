export {
  registerWasmTrainingKernels,
  trainingKernelNames,
  wasmTrainingKernelsRegistered,
} from './register-wasm-training-kernels';
export {
  fusedAdamAvailable,
  fusedAdamUpdate,
  type FusedAdamAttrs,
  type FusedAdamResult,
} from './optimizers/fused-adam';

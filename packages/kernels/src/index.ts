export {
  registerWasmTrainingKernels,
  trainingKernelNames,
  wasmTrainingKernelsRegistered,
} from './register-wasm-training-kernels';

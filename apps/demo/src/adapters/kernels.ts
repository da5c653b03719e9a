/**
 * TEMPORARY ADAPTER for `@resnet-ts/kernels` (not yet published in the workspace).
 * The real `registerWasmTrainingKernels()` adds the conv gradients the wasm backend lacks; until it
 * lands, training on wasm fails with tfjs's "kernel not registered" error, shown in the page.
 */
export function registerWasmTrainingKernels(): void {
  // Intentionally empty until @resnet-ts/kernels lands.
}

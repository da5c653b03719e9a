export { initNodeWasmBackend, MAX_WASM_THREADS } from './init-node-wasm-backend';
export type { NodeWasmBackendInfo, NodeWasmBackendOptions } from './init-node-wasm-backend';

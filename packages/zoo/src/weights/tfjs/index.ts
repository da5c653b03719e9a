export type { ModelFileLimits } from './weight-specs';
export { encodeModelFiles, type ModelFiles, type ModelFilesOptions } from './model-files';
export type { QuantizationMode } from './quantize';
export { guardIOHandler, type GuardOptions } from './guard-handler';
export { safeHttpIO, type SafeHttpOptions } from './safe-http-io';

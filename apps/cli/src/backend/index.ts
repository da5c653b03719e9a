export { BackendUnavailableError } from './errors';
export { fallbackNotice, selectBackend } from './select';
export { NATIVE_PACKAGES } from './tensorflow';
export * from './types';

export { safeHttpIO, type SafeHttpOptions } from './http-io';
export { browserModelIO, type BrowserModelIOOptions } from './browser-io';

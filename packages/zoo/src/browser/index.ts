export { safeHttpIO, type SafeHttpOptions } from '../weights/tfjs/safe-http-io';
export { browserModelIO, type BrowserModelIOOptions } from './browser-io';

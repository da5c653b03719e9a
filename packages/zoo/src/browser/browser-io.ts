import * as tf from '@tensorflow/tfjs';
import { guardIOHandler, type GuardOptions } from '../weights/tfjs/guard-handler';
import { safeHttpIO, type SafeHttpOptions } from '../weights/tfjs/safe-http-io';

export type BrowserModelIOOptions = GuardOptions & SafeHttpOptions;

/**
 * An IOHandler for browser model URLs with our checks: `http(s)://.../model.json` (see
 * {@link safeHttpIO}), `indexeddb://name`, `localstorage://name` (loaded artifacts are checked)
 * and `downloads://name` (saves, optionally quantised). Use with `tf.loadLayersModel(handler)` or
 * `model.save(handler)`.
 */
export function browserModelIO(url: string, options: BrowserModelIOOptions = {}): tf.io.IOHandler {
  if (/^https?:\/\//i.test(url) || !/^[a-z]+:\/\//i.test(url)) return safeHttpIO(url, options);
  const loader = tf.io.getLoadHandlers(url)[0];
  const saver = tf.io.getSaveHandlers(url)[0];
  if (!loader && !saver) {
    throw new Error(`${url}: no tfjs handler for this URL here (IndexedDB, localStorage and downloads need a browser)`);
  }
  const guarded: tf.io.IOHandler = {};
  if (loader?.load) guarded.load = guardIOHandler(loader, url, options).load;
  if (saver?.save) guarded.save = guardIOHandler(saver, url, options).save;
  return guarded;
}

import * as tf from '@tensorflow/tfjs';
import { guardIOHandler } from './guard-handler';
import { loadModelArtifacts, parseModelJson } from './model-artifacts';
import type { QuantizationMode } from './quantize';
import type { ModelFileLimits } from './weight-specs';

export interface SafeHttpOptions extends ModelFileLimits {
  /** The fetch to use (default: the global fetch). */
  fetch?: typeof fetch;
  /** Extra request settings (headers, credentials) for every request. */
  requestInit?: RequestInit;
  /** Quantise float32 weights when saving (POSTing) through this handler. */
  quantize?: QuantizationMode | null;
}

async function fetchOk(fetchImpl: typeof fetch, url: string, init: RequestInit | undefined, label: string): Promise<Response> {
  let response: Response;
  try {
    response = await fetchImpl(url, init);
  } catch (error) {
    throw new Error(`${label}: request for ${url} failed (${(error as Error).message})`);
  }
  if (!response.ok) throw new Error(`${label}: ${url} answered HTTP ${response.status}`);
  return response;
}

/**
 * Loads a tfjs model over http(s) with the checks of the file handler: shard URLs must stay in
 * the model.json's folder on the same origin, shard sizes must match the weight specs, dtypes
 * and shapes must be sane. Saving is tfjs's http POST handler (optionally quantised).
 */
export function safeHttpIO(modelJsonUrl: string, options: SafeHttpOptions = {}): tf.io.IOHandler {
  const fetchImpl = options.fetch ?? globalThis.fetch.bind(globalThis);
  const base = new URL(modelJsonUrl, globalThis.location?.href);
  const folder = new URL('.', base);
  const label = base.href;
  const readShard = async (path: string, maxBytes: number) => {
    const url = new URL(path, folder);
    if (url.origin !== folder.origin || !url.pathname.startsWith(folder.pathname)) {
      throw new Error(`${label}: shard ${path} resolves outside the model folder (${url.href}); refusing to fetch it`);
    }
    const response = await fetchOk(fetchImpl, url.href, options.requestInit, label);
    const declared = Number(response.headers.get('content-length') ?? NaN);
    if (Number.isFinite(declared) && declared > maxBytes) {
      throw new Error(`${label}: shard ${path} has ${declared} bytes but the weight specs need only ${maxBytes} more; the model files are corrupt or mismatched`);
    }
    return response.arrayBuffer();
  };
  const saver = guardIOHandler(tf.io.http(base.href, { requestInit: options.requestInit, fetchFunc: options.fetch }), label, options);
  return {
    async load() {
      const response = await fetchOk(fetchImpl, base.href, options.requestInit, label);
      const json = parseModelJson(await response.text(), label, options);
      return loadModelArtifacts(json, label, readShard, options);
    },
    save: saver.save,
  };
}

import type * as tf from '@tensorflow/tfjs';
import { checkModelArtifacts } from './model-artifacts';
import { quantizeArtifacts } from './model-files';
import { withoutShardChecksums } from './shard-checksums';
import type { QuantizationMode } from './quantize';
import type { ModelFileLimits } from './weight-specs';

export interface GuardOptions extends ModelFileLimits {
  /** Quantise float32 weights before the wrapped handler saves them. */
  quantize?: QuantizationMode | null;
}

/**
 * Wraps any tfjs IOHandler (IndexedDB, downloads, http, memory): loaded artifacts are checked
 * (weights present, dtypes, shapes, weight byte length, the topology's needs, the card's shard
 * checksums) before a model is built from them; saves can be quantised.
 */
export function guardIOHandler(handler: tf.io.IOHandler, label: string, options: GuardOptions = {}): tf.io.IOHandler {
  const guarded: tf.io.IOHandler = {};
  if (handler.load) {
    const load = handler.load.bind(handler);
    guarded.load = async () => checkModelArtifacts(await load(), label, options);
  }
  if (handler.save) {
    const save = handler.save.bind(handler);
    guarded.save = async (artifacts) => save(quantizeArtifacts(withoutShardChecksums(artifacts), options.quantize));
  }
  return guarded;
}

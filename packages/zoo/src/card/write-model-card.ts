import type * as tf from '@tensorflow/tfjs';
import { modelInputSize } from './input-size';
import { LEGACY_METADATA_KEYS, MODEL_CARD_KEY } from './metadata-key';
import { ModelCardError, parseModelCard } from './parse-model-card';
import type { ModelCard } from './schema';

/**
 * Validates `card` against the schema and the model (input size, number of outputs) and stores it
 * in the model's `userDefinedMetadata`, so every save (tfjs files, IndexedDB, downloads) carries
 * it. Other metadata keys stay untouched, except the 0.1 keys the card replaces.
 */
export function writeModelCard(model: tf.LayersModel, card: ModelCard): void {
  const checked = parseModelCard(card);
  const takes = modelInputSize(model);
  if (takes.some((d, i) => d !== checked.inputSize[i])) {
    throw new ModelCardError(`inputSize: the card says ${JSON.stringify(checked.inputSize)}, model ${model.name} takes ${JSON.stringify(takes)}`);
  }
  const outputs = model.outputs[0].shape;
  if (checked.classNames && outputs.length === 2 && outputs[1] !== checked.classNames.length) {
    throw new ModelCardError(`classNames: the card names ${checked.classNames.length} classes, model ${model.name} has ${outputs[1]} outputs`);
  }
  const kept = Object.entries(model.getUserDefinedMetadata() ?? {}).filter(([key]) => !(LEGACY_METADATA_KEYS as readonly string[]).includes(key));
  model.setUserDefinedMetadata({ ...Object.fromEntries(kept), [MODEL_CARD_KEY]: checked });
}

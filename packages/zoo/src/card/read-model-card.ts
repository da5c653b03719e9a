import type * as tf from '@tensorflow/tfjs';
import { modelInputSize, topologyInputSize } from './input-size';
import { legacyCard } from './legacy-card';
import { MODEL_CARD_KEY } from './metadata-key';
import { ModelCardError, parseModelCard } from './parse-model-card';
import { MODEL_CARD_FORMAT, type ModelCard } from './schema';

/**
 * What a card is read from: a loaded model, its artifacts (as a tfjs IOHandler loads or saves
 * them), or a metadata object: `userDefinedMetadata`, a card itself, or 0.1-style keys.
 */
export type ModelCardSource = tf.LayersModel | tf.io.ModelArtifacts | Readonly<Record<string, unknown>>;

export interface ReadModelCardOptions {
  /**
   * Metadata found beside the model (run.json, a classes.json sidecar), in 0.1 style
   * (`classNames`, `architecture` or `modelName`, `normalization`): used where the model has no
   * card, under the model's own 0.1 keys. Undefined values count as absent.
   */
  sidecar?: Readonly<Record<string, unknown>>;
}

export interface ReadModelCardResult {
  card: ModelCard;
  /** True when the model had no card and defaults were filled in for its normalization or class names. */
  assumed: boolean;
  /** One line saying what was assumed, when `assumed`. */
  notice?: string;
}

interface DescribedSource {
  metadata: Readonly<Record<string, unknown>>;
  inputSize: () => ModelCard['inputSize'];
  name?: string;
}

const noInputSize = (): never => {
  throw new ModelCardError('inputSize: the metadata has no model card and no inputShape; read the card from the model or its artifacts');
};

function describe(source: ModelCardSource): DescribedSource {
  const model = source as tf.LayersModel;
  if (typeof model.getUserDefinedMetadata === 'function') {
    return { metadata: (model.getUserDefinedMetadata() ?? {}) as Record<string, unknown>, inputSize: () => modelInputSize(model), name: model.name };
  }
  const artifacts = source as tf.io.ModelArtifacts;
  if ('modelTopology' in artifacts) {
    const name = (artifacts.modelTopology as { config?: { name?: unknown } } | undefined)?.config?.name;
    return {
      metadata: (artifacts.userDefinedMetadata ?? {}) as Record<string, unknown>,
      inputSize: () => topologyInputSize(artifacts.modelTopology),
      ...(typeof name === 'string' ? { name } : {}),
    };
  }
  return { metadata: source as Record<string, unknown>, inputSize: noInputSize };
}

const defined = (record: Readonly<Record<string, unknown>> = {}) => Object.fromEntries(Object.entries(record).filter(([, v]) => v !== undefined));

/**
 * The model card of a model. A model without one (a foreign tfjs model, or one written by
 * resnet-ts 0.1 with `{ classNames, architecture, normalization }`) still gets a card: its 0.1 keys,
 * else defaults (unit normalization, class indices as names), with `assumed` and a notice. An
 * invalid card is an error naming the key.
 */
export function readModelCard(source: ModelCardSource, options: ReadModelCardOptions = {}): ReadModelCardResult {
  const { metadata, inputSize, name } = describe(source);
  const stored = metadata[MODEL_CARD_KEY] ?? (metadata.format === MODEL_CARD_FORMAT ? metadata : undefined);
  if (stored !== undefined) return { card: parseModelCard(stored), assumed: false };
  return legacyCard({ ...defined(options.sidecar), ...defined(metadata) }, { inputSize, ...(name ? { name } : {}) });
}

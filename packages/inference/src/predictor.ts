import type { NormalizationPreset } from '@resnet-ts/data';
import type { ClassScore, ModelCard } from '@resnet-ts/zoo';
import type { InferenceEngine } from './engine';

/** What images must be before `classify`: from the model card, or the caller's overrides. */
export interface PredictorInput {
  /** `[height, width, channels]` of one image. */
  size: [number, number, number];
  /** The `@resnet-ts/data` preset the 0..255 RGB pixels get (`normalizeInPlace`). */
  normalization: NormalizationPreset;
}

/** What a caller may set over the model card (`resnet predict --normalization`, `--class-names`). */
export interface PredictorOverrides {
  /** Default: the card's `preprocessing.normalization`. */
  normalization?: NormalizationPreset;
  /** One name per output; default: the card's class names, else the indices. */
  classNames?: readonly string[];
}

export interface ClassifyOptions {
  /** Classes per image, best first. Default 5, capped at the number of classes. */
  topK?: number;
}

/**
 * A classifier behind one interface, whichever engine runs it. Everything but `classify` is known
 * from the model card before the engine is ready, so decoding can start while it loads.
 */
export interface Predictor {
  /** The model's card: architecture, input size, class names, preprocessing, weights' origin. */
  readonly card: ModelCard;
  /** One line saying what was assumed when the model had no card (e.g. unit normalization). */
  readonly cardNotice?: string;
  readonly input: PredictorInput;
  /** The names the scores are labelled with; absent: the class indices. */
  readonly classNames?: readonly string[];
  /** Loads the engine, once (the slow part), and says which one runs. `classify` calls it too. */
  ready(): Promise<InferenceEngine>;
  /**
   * Ranks the classes of each image of a batch: NHWC float32 pixels, `input.size` each, normalized
   * as `input.normalization` says; as many images as the array holds. Probabilities, best first
   * (a logits head gets a softmax).
   */
  classify(images: Float32Array, options?: ClassifyOptions): Promise<ClassScore[][]>;
  /** Frees the engine (and whatever the predictor loaded itself). */
  dispose(): Promise<void>;
}

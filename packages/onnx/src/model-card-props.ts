import { readModelCard, type ReadModelCardResult } from '@resnet-ts/zoo';
import type { OnnxModelMetadata } from './options';

/** The caller's metadata, its card checked, with the card's class names, preprocessing and name where not given. */
export function withCardDefaults(metadata: OnnxModelMetadata | undefined): OnnxModelMetadata | undefined {
  if (!metadata?.card) return metadata;
  const card = readModelCard(metadata.card).card;
  return {
    ...metadata,
    card,
    classNames: metadata.classNames ?? card.classNames,
    preprocessing: metadata.preprocessing ?? card.preprocessing,
    modelName: metadata.modelName ?? card.architecture.name,
  };
}

/** The entries a file written before model cards has instead (resnet-ts 0.1 exports). */
export interface LegacyOnnxMetadata {
  classNames?: string[];
  inputSize?: unknown[];
  preprocessing?: Record<string, unknown>;
  modelName?: string;
}

const isImageSize = (size: unknown[] | undefined): size is [number, number, number] =>
  size?.length === 3 && size.every((d) => Number.isInteger(d) && (d as number) > 0);

/**
 * The file's model card: its `model_card` entry, else one read from the older entries
 * (`class_names`, `preprocessing.normalization`, `model_name`) with what is missing assumed; none
 * when the file has neither a card nor a fixed image input size.
 */
export function readCardProps(modelCardJson: string | undefined, legacy: LegacyOnnxMetadata): ReadModelCardResult | undefined {
  if (modelCardJson !== undefined) return readModelCard(JSON.parse(modelCardJson) as Record<string, unknown>);
  if (!isImageSize(legacy.inputSize)) return undefined;
  return readModelCard({
    classNames: legacy.classNames,
    architecture: legacy.modelName,
    normalization: legacy.preprocessing?.normalization,
    inputShape: legacy.inputSize,
  });
}

/** The `userDefinedMetadata` key (tfjs model.json) that holds the model card. */
export const MODEL_CARD_KEY = 'modelCard';

/** Keys resnet-ts 0.1 wrote in `userDefinedMetadata`; a card replaces them. */
export const LEGACY_METADATA_KEYS = ['classNames', 'architecture', 'normalization', 'inputShape'] as const;

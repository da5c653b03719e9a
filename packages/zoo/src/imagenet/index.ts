export { preprocessInput } from './preprocess-input';
export { imagenetClassIndex } from './imagenet-classes';
export { decodePredictions, type DecodedPrediction, type DecodePredictionsOptions } from './decode-predictions';
export {
  loadClassIndex,
  KERAS_CLASS_INDEX_URL,
  type ClassIndex,
  type ParsedClassIndex,
  type LoadClassIndexOptions,
} from './class-index';

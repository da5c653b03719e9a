import { assertWeightsSupported } from './check-weights';
import { DEFAULT_INPUT_SHAPE, MAX_INPUT_CHANNELS, MAX_INPUT_SIZE, MIN_INPUT_SIZE, type ResNetOptions, type ResolvedResNetOptions } from './options';

const POOLINGS = ['avg', 'max'];
const ACTIVATIONS = ['softmax', 'sigmoid', null];

/** Fills in defaults and rejects invalid options with an error naming the field and the fix. */
export function resolveResNetOptions(options: ResNetOptions, defaultName: string): ResolvedResNetOptions {
  const resolved: ResolvedResNetOptions = {
    inputShape: options.inputShape ?? DEFAULT_INPUT_SHAPE,
    includeTop: options.includeTop ?? true,
    pooling: options.pooling,
    classes: options.classes ?? 1000,
    classifierActivation: options.classifierActivation === undefined ? 'softmax' : options.classifierActivation,
    name: options.name ?? defaultName,
    weights: options.weights ?? null,
    zeroInitResidual: options.zeroInitResidual ?? false,
    seed: options.seed,
  };
  const where = resolved.name;
  const { inputShape } = resolved;
  if (!Array.isArray(inputShape) || inputShape.length !== 3 || !inputShape.every((d) => Number.isInteger(d) && d > 0)) {
    throw new Error(`${where}: inputShape must be [height, width, channels] of positive integers, got ${JSON.stringify(inputShape)}`);
  }
  const [height, width, channels] = inputShape;
  if (height < MIN_INPUT_SIZE || width < MIN_INPUT_SIZE) {
    throw new Error(
      `${where}: inputShape ${JSON.stringify(inputShape)} is too small; height and width must be at least ${MIN_INPUT_SIZE}`,
    );
  }
  if (height > MAX_INPUT_SIZE || width > MAX_INPUT_SIZE) {
    throw new Error(`${where}: inputShape ${JSON.stringify(inputShape)} is too large; height and width must be at most ${MAX_INPUT_SIZE}`);
  }
  if (channels > MAX_INPUT_CHANNELS) {
    throw new Error(`${where}: inputShape ${JSON.stringify(inputShape)} has too many channels; at most ${MAX_INPUT_CHANNELS}`);
  }
  if (resolved.weights !== null && channels !== 3) {
    throw new Error(`${where}: pretrained weights need 3 input channels, inputShape has ${channels}; use weights: null`);
  }
  if (!Number.isInteger(resolved.classes) || resolved.classes < 1) {
    throw new Error(`${where}: classes must be a positive integer, got ${resolved.classes}`);
  }
  if (resolved.weights === 'imagenet' && resolved.includeTop && resolved.classes !== 1000) {
    throw new Error(`${where}: imagenet weights with includeTop need classes: 1000, got ${resolved.classes}`);
  }
  if (resolved.pooling !== undefined && !POOLINGS.includes(resolved.pooling)) {
    throw new Error(`${where}: pooling must be 'avg', 'max' or undefined, got ${JSON.stringify(resolved.pooling)}`);
  }
  if (!ACTIVATIONS.includes(resolved.classifierActivation)) {
    throw new Error(
      `${where}: classifierActivation must be 'softmax', 'sigmoid' or null (logits), got ${JSON.stringify(resolved.classifierActivation)}`,
    );
  }
  if (resolved.seed !== undefined && !Number.isSafeInteger(resolved.seed)) {
    throw new Error(`${where}: seed must be an integer, got ${JSON.stringify(resolved.seed)}`);
  }
  assertWeightsSupported(resolved.weights, where);
  return resolved;
}

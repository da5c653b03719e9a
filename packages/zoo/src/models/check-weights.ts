/**
 * The one place that decides which `weights` values the builders accept. Loading pretrained
 * weights is wired by the weights module; until then anything but null is refused.
 */
export function assertWeightsSupported(weights: string | null, modelName: string): void {
  if (weights === null) return;
  throw new Error(
    `${modelName}: weights ${JSON.stringify(weights)} are not yet supported; ` +
      'build with weights: null (random initialisation) and load weights separately',
  );
}

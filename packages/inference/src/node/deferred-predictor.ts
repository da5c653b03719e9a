import type { Predictor } from '../predictor';
import type { PredictorHeader } from '../predictor-header';

/** A predictor opened from a path: `source` is the model folder or `.onnx` file that was read. */
export interface OpenedPredictor extends Predictor {
  readonly source: string;
}

/**
 * A predictor known by its header now whose engine loads on the first `ready` or `classify`.
 * `unloaded` is disposed when no engine was loaded (or loading failed).
 */
export function deferredPredictor(
  source: string,
  header: PredictorHeader,
  load: () => Promise<Predictor>,
  unloaded: Pick<Predictor, 'dispose'>,
): OpenedPredictor {
  let loading: Promise<Predictor> | undefined;
  const engine = () => (loading ??= load());
  return {
    source,
    card: header.card,
    cardNotice: header.cardNotice,
    input: header.input,
    classNames: header.classNames,
    ready: async () => (await engine()).ready(),
    classify: async (images, options) => (await engine()).classify(images, options),
    async dispose() {
      const loaded = await loading?.catch(() => undefined);
      await (loaded ?? unloaded).dispose();
    },
  };
}

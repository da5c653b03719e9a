/**
 * The Predict tab: an uploaded, dropped or captured image goes through the same data pipeline as
 * training images (decode, resize, normalise as the model card says) and the tfjs predictor of
 * `@resnet-ts/inference`; the page shows the top-k classes and the latency. With the camera on,
 * "Classify live" classifies frame after frame. While an image is being classified the result
 * says so: the previous image's result is never shown as this one's.
 */
import { browserImageDataset } from '@resnet-ts/data/browser';
import { tfjsPredictor, type PredictorInput } from '@resnet-ts/inference';
import type * as tf from '@tensorflow/tfjs';
import { createImageInput } from '../media/image-input';
import type { Camera } from '../media/camera';
import { createCameraButton } from '../media/camera-button';
import { LiveLoop } from '../media/live-loop';
import { entryCard, type AppState } from '../state/app-state';
import { h } from '../ui/dom';
import { describeError, type Notices } from '../ui/notices';
import { renderTopK } from '../ui/topk';

export interface PredictViewDeps {
  state: AppState;
  notices: Notices;
  camera: Camera;
}

const TOP_K = 5;

/** One image as a [1, height, width, 3] batch, preprocessed as the predictor's input says. */
async function toBatch(image: Blob, input: PredictorInput): Promise<tf.Tensor4D> {
  // One unlabelled image: the dataset's single class and its one-hot ys are not used.
  const dataset = browserImageDataset([{ source: image, label: 0 }], ['image'], {
    imageSize: [input.size[0], input.size[1]],
    normalization: input.normalization,
    training: false,
  });
  try {
    for await (const { xs, ys } of dataset.batches({ batchSize: 1, shuffle: false, augment: false })) {
      ys.dispose();
      return xs;
    }
    throw new Error('the image produced no batch');
  } finally {
    await dataset.dispose();
  }
}

export function createPredictView({ state, notices, camera }: PredictViewDeps): HTMLElement {
  const preview = h('img', { class: 'preview', alt: 'The image being classified', hidden: true });
  const result = h('div', { class: 'result', 'aria-live': 'polite', 'data-testid': 'predict-result' });
  const modelLine = h('p', { class: 'hint', 'data-testid': 'predict-model' });
  const describeModel = () => {
    const entry = state.current;
    modelLine.textContent = entry
      ? `Model: ${entry.architecture}, ${entry.inputSize}×${entry.inputSize}, classes: ${entry.classNames.join(', ')}`
      : 'No model yet: train one or load one in the Save/load tab.';
  };
  state.onModelChange(describeModel);
  describeModel();

  /** Each request gets a number; only the latest one may write the result. */
  let latest = 0;
  const setBusy = (busy: boolean) => {
    result.setAttribute('aria-busy', String(busy));
    if (busy) result.dataset.state = 'busy';
    else delete result.dataset.state;
  };

  /** Classifies `image`; with `live`, the previous frame's bars stay until this frame's are ready. */
  const classify = async (image: Blob, live = false): Promise<void> => {
    const entry = state.current;
    if (!entry) throw new Error('There is no model to predict with. Train one first, or load one in the Save/load tab.');
    const request = ++latest;
    if (!live) {
      notices.clearError();
      result.replaceChildren(h('p', { class: 'hint busy' }, 'Classifying…'));
    }
    setBusy(true);
    if (preview.src) URL.revokeObjectURL(preview.src);
    preview.src = URL.createObjectURL(image);
    preview.hidden = false;
    try {
      const started = performance.now();
      // The entry's card holds the class names and normalization it was trained or loaded with.
      const predictor = tfjsPredictor(entry.model, { card: entryCard(entry) });
      const batch = await toBatch(image, predictor.input);
      try {
        const [top] = await predictor.classify(batch, { topK: TOP_K });
        if (request === latest) result.replaceChildren(renderTopK(top, performance.now() - started));
      } finally {
        batch.dispose();
      }
    } catch (error) {
      if (request === latest) result.replaceChildren();
      throw error;
    } finally {
      if (request === latest) setBusy(false);
    }
  };
  const classifyOrReport = (image: Blob) =>
    classify(image).catch((error) => notices.error(`Could not classify this image: ${describeError(error)}`));

  const captureButton = h('button', { type: 'button', disabled: !camera.running }, 'Capture and classify');
  const liveButton = h('button', { type: 'button', class: 'primary', disabled: !camera.running, 'aria-pressed': 'false' }, 'Classify live');
  const live = new LiveLoop(
    async () => classify(await camera.capture(), true),
    (active) => {
      liveButton.textContent = active ? 'Stop live' : 'Classify live';
      liveButton.setAttribute('aria-pressed', String(active));
      result.dataset.live = String(active);
    },
    (error) => notices.error(`Live prediction stopped: ${describeError(error)}`),
  );
  camera.onChange((running) => {
    captureButton.disabled = !running;
    liveButton.disabled = !running;
    if (!running) live.stop();
  });
  captureButton.addEventListener('click', async () => {
    try {
      await classifyOrReport(await camera.capture());
    } catch (error) {
      notices.error(describeError(error));
    }
  });
  liveButton.addEventListener('click', () => {
    if (live.running) return live.stop();
    notices.clearError();
    live.start();
  });

  return h(
    'div',
    { class: 'view predict-view' },
    modelLine,
    createImageInput({
      label: 'Choose an image to classify',
      multiple: false,
      testId: 'predict-file',
      onImages: (files) => void classifyOrReport(files[0]),
      onError: (m) => notices.error(m),
    }),
    h('div', { class: 'row' }, createCameraButton(camera, (m) => notices.error(m)), captureButton, liveButton),
    camera.createPreview('Camera preview for prediction'),
    h('div', { class: 'predict-output' }, preview, result),
  );
}

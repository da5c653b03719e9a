/**
 * The Predict tab: an uploaded, dropped or captured image goes through the same data pipeline as
 * training images (decode, resize, normalise as the model card says) and the tfjs predictor of
 * `@resnet-ts/inference`; the page shows the top-k classes and the latency.
 */
import { browserImageDataset } from '@resnet-ts/data/browser';
import { tfjsPredictor, type PredictorInput } from '@resnet-ts/inference';
import type * as tf from '@tensorflow/tfjs';
import { createImageInput } from '../media/image-input';
import type { Webcam } from '../media/webcam';
import { entryCard, type AppState } from '../state/app-state';
import { h } from '../ui/dom';
import { describeError, type Notices } from '../ui/notices';
import { renderTopK } from '../ui/topk';

export interface PredictViewDeps {
  state: AppState;
  notices: Notices;
  webcam: Webcam;
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

export function createPredictView({ state, notices, webcam }: PredictViewDeps): HTMLElement {
  const preview = h('img', { class: 'preview', alt: 'The image being classified', hidden: true });
  const result = h('div', { class: 'result', 'aria-live': 'polite' });
  const modelLine = h('p', { class: 'hint', 'data-testid': 'predict-model' });
  const describeModel = () => {
    const entry = state.current;
    modelLine.textContent = entry
      ? `Model: ${entry.architecture}, ${entry.inputSize}×${entry.inputSize}, classes: ${entry.classNames.join(', ')}`
      : 'No model yet: train one or load one in the Save/load tab.';
  };
  state.onModelChange(describeModel);
  describeModel();

  const classify = async (image: Blob) => {
    const entry = state.current;
    if (!entry) return notices.error('There is no model to predict with. Train one first, or load one in the Save/load tab.');
    notices.clearError();
    preview.src = URL.createObjectURL(image);
    preview.hidden = false;
    try {
      const started = performance.now();
      // The entry's card holds the class names and normalization it was trained or loaded with.
      const predictor = tfjsPredictor(entry.model, { card: entryCard(entry) });
      const batch = await toBatch(image, predictor.input);
      try {
        const [top] = await predictor.classify(batch, { topK: TOP_K });
        result.replaceChildren(renderTopK(top, performance.now() - started));
      } finally {
        batch.dispose();
      }
    } catch (error) {
      result.replaceChildren();
      notices.error(`Could not classify this image: ${describeError(error)}`);
    }
  };

  const cameraButton = h('button', { type: 'button', class: 'secondary' }, 'Start camera');
  const captureButton = h('button', { type: 'button', disabled: true }, 'Capture and classify');
  cameraButton.addEventListener('click', async () => {
    try {
      if (webcam.running) webcam.stop();
      else await webcam.start();
    } catch (error) {
      notices.error(describeError(error));
    }
    cameraButton.textContent = webcam.running ? 'Stop camera' : 'Start camera';
    captureButton.disabled = !webcam.running;
    if (webcam.running) cameraSlot.append(webcam.video);
  });
  captureButton.addEventListener('click', async () => {
    try {
      await classify(await webcam.capture());
    } catch (error) {
      notices.error(describeError(error));
    }
  });
  const cameraSlot = h('div', { class: 'camera-slot' });

  return h(
    'div',
    { class: 'view predict-view' },
    modelLine,
    createImageInput({
      label: 'Choose an image to classify',
      multiple: false,
      testId: 'predict-file',
      onImages: (files) => void classify(files[0]),
      onError: (m) => notices.error(m),
    }),
    h('div', { class: 'row' }, cameraButton, captureButton),
    cameraSlot,
    h('div', { class: 'predict-output' }, preview, result),
  );
}

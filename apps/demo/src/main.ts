/**
 * Entry point: pick a backend (`?backend=wasm` asks for one first), then build the tabs.
 */
import './styles.css';
import { isBackendName, pickBackend } from './backend/backends';
import { Webcam } from './media/webcam';
import { AppState } from './state/app-state';
import { h } from './ui/dom';
import { describeError, Notices } from './ui/notices';
import { createTabs } from './ui/tabs';
import { createBackendBar } from './views/backend-bar';
import { createModelView } from './views/model-view';
import { createPredictView } from './views/predict-view';
import { createStorageView } from './views/storage-view';
import { createTrainView } from './views/train-view';

async function start(root: HTMLElement): Promise<void> {
  const notices = new Notices();
  const state = new AppState();
  const webcam = new Webcam();
  root.replaceChildren(h('p', { class: 'hint' }, 'Starting TensorFlow.js…'));

  const requested = new URLSearchParams(location.search).get('backend');
  const choice = await pickBackend(isBackendName(requested) ? requested : undefined);
  if (choice.failed.length > 0) {
    notices.info(`Running on ${choice.active}; ${choice.failed.join(', ')} did not start in this browser.`);
  }

  const tabs = createTabs([
    { id: 'train', label: 'Train', panel: createTrainView({ state, notices, webcam }) },
    { id: 'predict', label: 'Predict', panel: createPredictView({ state, notices, webcam }) },
    { id: 'model', label: 'Model', panel: createModelView(state) },
    { id: 'storage', label: 'Save/load', panel: createStorageView({ state, notices }) },
  ]);
  root.replaceChildren(
    h('header', { class: 'app-header' }, h('h1', {}, 'ResNet in the browser'), await createBackendBar(state, notices)),
    notices.element,
    h('main', {}, tabs.element),
  );
  root.dataset.ready = 'true';
}

const root = document.getElementById('app')!;
start(root).catch((error) => {
  root.replaceChildren(h('p', { class: 'notice error', role: 'alert' }, `The demo could not start: ${describeError(error)}`));
});

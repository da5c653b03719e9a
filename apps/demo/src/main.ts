/**
 * Entry point: open the session store, pick a backend (`?backend=wasm` asks for one first, then
 * the one the user picked last time), then build the tabs around one camera and one state.
 */
import './styles.css';
import { isBackendName, pickBackend } from './backend/backends';
import { Camera } from './media/camera';
import { AppState } from './state/app-state';
import { SessionStore } from './storage/session-store';
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
  const camera = new Camera();
  root.replaceChildren(h('p', { class: 'hint' }, 'Starting TensorFlow.js…'));

  const session = await SessionStore.open();
  if (!session.available) notices.info('This browser keeps no data for this page (IndexedDB is off): classes and runs are lost on reload.');
  const requested = new URLSearchParams(location.search).get('backend') ?? (await session.get('backend'));
  const choice = await pickBackend(isBackendName(requested) ? requested : undefined);
  state.onBackendChange((backend) => void session.put('backend', backend).catch(() => undefined)); // only a preference
  if (choice.failed.length > 0) {
    notices.info(`Running on ${choice.active}; ${choice.failed.join(', ')} did not start in this browser.`);
  }

  const tabs = createTabs([
    { id: 'train', label: 'Train', panel: await createTrainView({ state, notices, camera, session }) },
    { id: 'predict', label: 'Predict', panel: createPredictView({ state, notices, camera }) },
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

/**
 * The Save/load tab: save the current model to this browser (IndexedDB) or download it as a tfjs
 * folder; load from IndexedDB or from the files `resnet export` writes (model.json + .bin shards).
 * `storage/model-storage` does the I/O; this view checks the model fits the demo and reports.
 */
import {
  deleteFromIndexedDb,
  downloadModel,
  listIndexedDbModels,
  loadFromFiles,
  loadFromIndexedDb,
  saveToIndexedDb,
  type LoadedModel,
} from '../storage/model-storage';
import { readModelCard } from '@resnet-ts/zoo';
import type * as tf from '@tensorflow/tfjs';
import { entryCard, modelInputSize, type AppState, type ModelEntry } from '../state/app-state';
import { field, h } from '../ui/dom';
import { describeError, type Notices } from '../ui/notices';

export interface StorageViewDeps {
  state: AppState;
  notices: Notices;
}

export interface AdoptedModel {
  entry: ModelEntry;
  /** What was assumed when the model has no model card (e.g. unit normalization). */
  notice?: string;
}

/** Checks a loaded model against what the demo can run, and reads its model card. */
export function adoptLoadedModel({ model, sidecar }: LoadedModel, source: string): AdoptedModel {
  try {
    return describeLoadedModel(model, sidecar, source);
  } catch (error) {
    model.dispose();
    throw error;
  }
}

function describeLoadedModel(model: tf.LayersModel, sidecar: LoadedModel['sidecar'], source: string): AdoptedModel {
  let inputSize: number;
  try {
    inputSize = modelInputSize(model);
  } catch (error) {
    throw new Error(`${source}: ${describeError(error)}`);
  }
  const outputShape = model.outputs[0].shape;
  if (model.outputs.length !== 1 || outputShape.length !== 2 || typeof outputShape[1] !== 'number') {
    throw new Error(`${source}: the model outputs ${JSON.stringify(outputShape)}; the demo needs one output of class scores [null, classes].`);
  }
  const classes = outputShape[1];
  let read: ReturnType<typeof readModelCard>;
  try {
    read = readModelCard(model, { sidecar });
  } catch (error) {
    throw new Error(`${source}: ${describeError(error)}`);
  }
  const { card, notice } = read;
  const classNames = card.classNames ?? Array.from({ length: classes }, (_, i) => `class ${i}`);
  if (classNames.length !== classes) {
    throw new Error(`${source}: the model has ${classes} outputs but its metadata names ${classNames.length} classes (${classNames.join(', ')}).`);
  }
  const entry = { model, architecture: card.architecture.name, inputSize, classNames, normalization: card.preprocessing.normalization, card };
  return { entry, ...(notice ? { notice } : {}) };
}

export function createStorageView({ state, notices }: StorageViewDeps): HTMLElement {
  const nameInput = h('input', { type: 'text', value: 'my-model', maxlength: 60, pattern: '[A-Za-z0-9_.-]+', 'data-testid': 'save-name' });
  const saveButton = h('button', { type: 'button', class: 'primary' }, 'Save to this browser');
  const downloadButton = h('button', { type: 'button' }, 'Download as tfjs folder');
  const savedList = h('ul', { class: 'saved-list', 'data-testid': 'saved-list' });
  const filesInput = h('input', { type: 'file', multiple: true, accept: '.json,.bin,application/json,application/octet-stream', id: 'model-files' });

  const requireModel = () => {
    const entry = state.current;
    if (!entry) throw new Error('There is no model to save yet: train one first.');
    return entry;
  };

  const refreshList = async () => {
    const saved = await listIndexedDbModels();
    savedList.replaceChildren(
      ...(saved.length === 0
        ? [h('li', { class: 'hint' }, 'Nothing saved in this browser yet.')]
        : saved.map((s) =>
            h(
              'li',
              { 'data-key': s.key },
              h('span', { class: 'saved-name' }, s.key),
              h('span', { class: 'hint' }, ` ${(s.bytes / 1e6).toFixed(1)} MB · ${s.dateSaved.toLocaleString()} `),
              h('button', { type: 'button', onClick: () => run(() => load(s.key)) }, `Load ${s.key}`),
              h('button', { type: 'button', class: 'link', onClick: () => run(() => remove(s.key)) }, `Delete ${s.key}`),
            ),
          )),
    );
  };

  const run = async (action: () => Promise<void>) => {
    notices.clearError();
    try {
      await action();
    } catch (error) {
      notices.error(describeError(error));
    }
  };

  const adopt = (adopted: AdoptedModel, message: string) => {
    state.setModel(adopted.entry);
    notices.info(adopted.notice ? `${message} It has ${adopted.notice}.` : message);
  };
  const load = async (key: string) => adopt(adoptLoadedModel(await loadFromIndexedDb(key), `IndexedDB model "${key}"`), `Loaded "${key}" from this browser.`);
  const remove = async (key: string) => {
    await deleteFromIndexedDb(key);
    await refreshList();
    notices.info(`Deleted "${key}".`);
  };

  saveButton.addEventListener('click', () =>
    run(async () => {
      const entry = requireModel();
      const key = nameInput.value.trim();
      if (!/^[A-Za-z0-9_.-]+$/.test(key)) throw new Error('Name the model with letters, digits, "-", "_" or "." only.');
      await saveToIndexedDb(entry.model, key, entryCard(entry));
      await refreshList();
      notices.info(`Saved "${key}" in this browser.`);
    }),
  );
  downloadButton.addEventListener('click', () =>
    run(async () => {
      const entry = requireModel();
      await downloadModel(entry.model, nameInput.value.trim() || 'model', entryCard(entry));
    }),
  );
  filesInput.addEventListener('change', () =>
    run(async () => {
      const files = [...(filesInput.files ?? [])];
      filesInput.value = '';
      adopt(adoptLoadedModel(await loadFromFiles(files), files.map((f) => f.name).join(', ')), 'Loaded the model from files.');
    }),
  );

  void run(refreshList);

  return h(
    'div',
    { class: 'view storage-view' },
    h(
      'fieldset',
      {},
      h('legend', {}, 'Save the current model'),
      field('Name', nameInput, 'Letters, digits, "-", "_" and "."'),
      h('div', { class: 'row' }, saveButton, downloadButton),
    ),
    h('fieldset', {}, h('legend', {}, 'Saved in this browser'), savedList),
    h(
      'fieldset',
      {},
      h('legend', {}, 'Load from files'),
      field('model.json and its .bin files (for example from "resnet export")', filesInput),
    ),
  );
}

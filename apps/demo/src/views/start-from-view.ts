/**
 * The "Start from" fieldset of the Train tab: nothing (train from scratch), a model URL, or model
 * files. Loading reports what was loaded and what was left out (the head). With a start the
 * backbone stays frozen and the head trains on cached features, unless "Fine-tune the last stage"
 * is ticked; that box shows only while a start is loaded (there is no stage to fine-tune from scratch).
 */
import { imagenetWeightsSource } from '@resnet-ts/zoo';
import { disposeStart, loadStart, type PretrainedStart, type StartFormModel, type StartSource } from '../training/start-from';
import { field, h } from '../ui/dom';
import { describeError } from '../ui/notices';
import './start-from.css';

export interface StartFromDeps {
  /** The form's architecture and input size, which .h5 / .safetensors weights load into. */
  modelForm: () => StartFormModel;
  /** True while training runs: the start must not change under it. */
  busy: () => boolean;
  onError: (message: string) => void;
  /** Called with the new start (undefined: from scratch) once it is loaded. */
  onChange: (start: PretrainedStart | undefined) => void;
}

/** Keras's ResNet50 ImageNet weights without the classifier: the suggested start for users with a network. */
export const SUGGESTED_START_URL = imagenetWeightsSource('resnet50', { includeTop: false }).url;

export class StartFromView {
  readonly element: HTMLElement;
  private loaded: PretrainedStart | undefined;
  private readonly fineTuneBox = h('input', { type: 'checkbox', id: 'fine-tune-last-stage' });
  private readonly fineTuneField = h(
    'div',
    { class: 'check', hidden: true },
    this.fineTuneBox,
    h('label', { for: this.fineTuneBox.id }, 'Fine-tune the last stage too (trains on the images: slower)'),
  );
  private readonly status = h('p', { class: 'start-status hint', 'data-testid': 'start-status', 'aria-live': 'polite' }, 'Training starts from random weights.');

  constructor(private readonly deps: StartFromDeps) {
    const none = h('input', { type: 'radio', name: 'start-from', value: 'none', id: 'start-none', checked: true });
    const byUrl = h('input', { type: 'radio', name: 'start-from', value: 'url', id: 'start-url' });
    const byFiles = h('input', { type: 'radio', name: 'start-from', value: 'files', id: 'start-files' });
    const urlInput = h('input', { type: 'url', value: SUGGESTED_START_URL, spellcheck: 'false', class: 'start-url' });
    const loadButton = h('button', { type: 'button' }, 'Load');
    const filesInput = h('input', { type: 'file', multiple: true, accept: '.json,.bin,.h5,.hdf5,.safetensors' });
    const urlFields = h(
      'div',
      { class: 'row', hidden: true },
      field('Model URL', urlInput, 'A tfjs model.json (or its folder), a Keras .h5 or a .safetensors file. Suggested: Keras’s ImageNet ResNet50 weights (about 95 MB, needs a network; pick resnet50 above first).'),
      loadButton,
    );
    const fileFields = h('div', { hidden: true }, field('Start model files', filesInput, 'model.json with its .bin files, or one .h5 or .safetensors file'));
    const show = () => {
      urlFields.hidden = !byUrl.checked;
      fileFields.hidden = !byFiles.checked;
    };
    none.addEventListener('change', () => {
      show();
      this.replace(undefined, 'Training starts from random weights.');
    });
    byUrl.addEventListener('change', show);
    byFiles.addEventListener('change', show);
    loadButton.addEventListener('click', () => void this.load({ kind: 'url', url: urlInput.value.trim() }));
    filesInput.addEventListener('change', () => {
      const files = [...(filesInput.files ?? [])];
      filesInput.value = '';
      if (files.length > 0) void this.load({ kind: 'files', files });
    });
    this.element = h(
      'fieldset',
      { class: 'start-from' },
      h('legend', {}, 'Start from'),
      h(
        'div',
        { class: 'row', role: 'radiogroup', 'aria-label': 'Start from' },
        h('span', { class: 'check' }, none, h('label', { for: none.id }, 'Nothing (from scratch)')),
        h('span', { class: 'check' }, byUrl, h('label', { for: byUrl.id }, 'A model URL')),
        h('span', { class: 'check' }, byFiles, h('label', { for: byFiles.id }, 'Model files')),
      ),
      urlFields,
      fileFields,
      this.status,
      this.fineTuneField,
    );
  }

  /** The loaded start; undefined when training from scratch. */
  get start(): PretrainedStart | undefined {
    return this.loaded;
  }

  /** Whether to fine-tune the last stage too; never true without a start. */
  get fineTune(): boolean {
    return this.loaded !== undefined && this.fineTuneBox.checked;
  }

  private async load(source: StartSource): Promise<void> {
    if (this.deps.busy()) return this.deps.onError('Wait for training to end before changing the start.');
    if (source.kind === 'url' && !source.url) return this.deps.onError('Type the URL of a model.json, .h5 or .safetensors file first.');
    this.status.textContent = 'Loading the start model…';
    delete this.status.dataset.state;
    try {
      const start = await loadStart(source, this.deps.modelForm());
      this.replace(start, start.report);
      this.status.dataset.state = 'loaded';
    } catch (error) {
      this.status.textContent = this.loaded ? `Still starting from ${this.loaded.label}.` : 'Training starts from random weights.';
      this.status.dataset.state = 'failed';
      this.deps.onError(describeError(error));
    }
  }

  private replace(start: PretrainedStart | undefined, message: string): void {
    if (this.loaded !== start) disposeStart(this.loaded);
    this.loaded = start;
    this.fineTuneField.hidden = !start;
    // From scratch the box is hidden, and unticked so that it does not come back ticked later.
    if (!start) this.fineTuneBox.checked = false;
    this.status.textContent = message;
    this.deps.onChange(start);
  }
}

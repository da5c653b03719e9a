/**
 * "My images": the user's classes, each with images added by upload, drag and drop or
 * hold-to-record from the page's camera. Images are decoded as they are added (a bad file is
 * refused at once, by name), each one can be removed, class names stay unique, and every change
 * is saved to the session store so a reload brings the classes back.
 */
import type { Camera } from '../media/camera';
import { createCameraButton } from '../media/camera-button';
import { decodeAll, type DecodedImage } from '../media/decode-image';
import { holdToRecord, RECORD_FPS } from '../media/hold-to-record';
import { createImageInput } from '../media/image-input';
import type { StoredClass } from '../storage/session-store';
import { field, h } from '../ui/dom';
import { describeError } from '../ui/notices';
import { ClassCard } from './class-card';

export interface ClassEditorDeps {
  camera: Camera;
  onError: (message: string) => void;
  /** Called after every change with the classes as they now are (to save them). */
  onChange?: (classes: StoredClass[]) => void;
  /** Called for each image as it joins a class, with its decoded pixels (closed afterwards). */
  onImageAdded?: (className: string, image: DecodedImage) => void;
}

const DEFAULT_CLASSES = ['class A', 'class B'];

export class ClassEditor {
  readonly element: HTMLElement;
  private readonly list: HTMLElement;
  private cards: ClassCard[] = [];

  constructor(private readonly deps: ClassEditorDeps) {
    this.list = h('div', { class: 'class-list' });
    const nameInput = h('input', { type: 'text', placeholder: 'e.g. thumbs up', maxlength: 40 });
    const add = h('button', { type: 'button', onClick: () => this.addClassFrom(nameInput) }, 'Add class');
    nameInput.addEventListener('keydown', (event) => {
      if (event.key === 'Enter') this.addClassFrom(nameInput);
    });
    this.element = h(
      'div',
      { class: 'class-editor' },
      // The camera first: on a phone the preview stays in view above the record buttons.
      h(
        'div',
        { class: 'row' },
        createCameraButton(deps.camera, deps.onError),
        h('span', { class: 'hint' }, 'Then hold "Hold to record" on a class: frames are added while you hold it.'),
      ),
      deps.camera.createPreview('Camera preview for recording'),
      this.list,
      h('div', { class: 'row' }, field('New class name', nameInput), add),
    );
    this.setClasses(DEFAULT_CLASSES.map((name) => ({ name, images: [] })));
  }

  /** Replaces every class (a restored session); does not report a change. */
  setClasses(classes: StoredClass[]): void {
    this.cards.forEach((card) => card.dispose());
    this.cards = [];
    for (const c of classes) this.cards.push(this.createCard(c.name, c.images));
    this.renderList();
  }

  classes(): StoredClass[] {
    return this.cards.map((card) => ({ name: card.name, images: [...card.images] }));
  }

  /** The classes that have images, in order; the label of an image is its class's index. */
  labelledImages(): { classNames: string[]; images: { source: Blob; label: number }[] } {
    const used = this.cards.filter((c) => c.images.length > 0);
    return {
      classNames: used.map((c) => c.name),
      images: used.flatMap((c, label) => c.images.map((source) => ({ source, label }))),
    };
  }

  private createCard(name: string, images: Blob[]): ClassCard {
    const card = new ClassCard(name, images, {
      rename: (target, wanted) => this.rename(target, wanted),
      remove: (target) => this.removeClass(target),
      changed: () => this.changed(),
    });
    card.mount(
      createImageInput({
        label: `Add images to "${card.name}"`,
        onImages: (files) => void this.addImages(card, files.map((f) => ({ blob: f, name: f.name }))),
        onError: this.deps.onError,
      }),
      this.recordButton(card),
    );
    return card;
  }

  private recordButton(card: ClassCard): HTMLButtonElement {
    const button = h('button', { type: 'button', class: 'secondary record', disabled: !this.deps.camera.running });
    const label = (recording = false) => (button.textContent = recording ? `Recording into "${card.name}"…` : `Hold to record into "${card.name}"`);
    card.onRename(() => label());
    holdToRecord(button, {
      fps: RECORD_FPS,
      capture: async () => {
        try {
          await this.addImages(card, [{ blob: await this.deps.camera.capture(), name: 'camera frame' }]);
        } catch (error) {
          this.deps.onError(describeError(error));
        }
      },
      onRecording: (recording) => {
        label(recording);
        button.classList.toggle('recording', recording);
      },
    });
    this.deps.camera.onChange((running) => (button.disabled = !running));
    label();
    return button;
  }

  private async addImages(card: ClassCard, files: { blob: Blob; name: string }[]): Promise<void> {
    const { images, refused } = await decodeAll(files);
    if (refused) this.deps.onError(refused);
    if (images.length === 0 || !this.cards.includes(card)) return images.forEach((i) => i.bitmap.close());
    for (const image of images) {
      try {
        this.deps.onImageAdded?.(card.name, image);
      } finally {
        image.bitmap.close();
      }
    }
    card.addImages(images.map((i) => i.blob));
    this.changed();
  }

  private addClassFrom(input: HTMLInputElement): void {
    const name = input.value.trim();
    if (!name) return this.deps.onError('Type a class name first.');
    if (this.duplicateOf(name)) return this.deps.onError(`There is already a class named "${name}": choose another name.`);
    this.cards.push(this.createCard(name, []));
    input.value = '';
    this.renderList();
    this.changed();
  }

  /** True when renamed; a duplicate (case-insensitive) or empty name is refused with a message. */
  private rename(card: ClassCard, wanted: string): boolean {
    const name = wanted.trim();
    if (!name) {
      this.deps.onError(`A class needs a name: "${card.name}" was kept.`);
      return false;
    }
    const other = this.duplicateOf(name, card);
    if (other) {
      this.deps.onError(`There is already a class named "${other.name}": "${card.name}" was not renamed.`);
      return false;
    }
    return true;
  }

  private duplicateOf(name: string, except?: ClassCard): ClassCard | undefined {
    return this.cards.find((c) => c !== except && c.name.toLowerCase() === name.toLowerCase());
  }

  private removeClass(card: ClassCard): void {
    card.dispose();
    this.cards = this.cards.filter((c) => c !== card);
    this.renderList();
    this.changed();
  }

  private renderList(): void {
    this.cards.forEach((card, index) => card.setIndex(index));
    this.list.replaceChildren(...this.cards.map((card) => card.element));
  }

  private changed(): void {
    this.deps.onChange?.(this.classes());
  }
}

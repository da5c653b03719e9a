/**
 * One class of "My images": its name (renamed only to a name the editor accepts), its image
 * count, a thumbnail per image with its own remove button, and the add/record controls the
 * editor mounts. Every label that shows the name follows a rename.
 */
import { setImageInputLabel } from '../media/image-input';
import { field, h } from '../ui/dom';

export interface ClassCardActions {
  /** Asks the editor whether `wanted` may be this class's name (it reports why not). */
  rename: (card: ClassCard, wanted: string) => boolean;
  remove: (card: ClassCard) => void;
  changed: () => void;
}

export class ClassCard {
  readonly element: HTMLElement;
  readonly images: Blob[];
  private currentName: string;
  private readonly nameInput: HTMLInputElement;
  private readonly nameLabel: HTMLLabelElement;
  private readonly count: HTMLElement;
  private readonly thumbs: HTMLElement;
  private readonly controls: HTMLElement;
  private readonly removeButton: HTMLButtonElement;
  private readonly urls = new Map<Blob, string>();
  private readonly renameListeners: (() => void)[] = [];
  private imageInput: HTMLElement | undefined;

  constructor(
    name: string,
    images: Blob[],
    private readonly actions: ClassCardActions,
  ) {
    this.currentName = name;
    this.images = [...images];
    this.nameInput = h('input', { type: 'text', value: name, maxlength: 40 });
    this.nameInput.addEventListener('change', () => this.tryRename());
    const nameField = field('Name of class', this.nameInput);
    this.nameLabel = nameField.querySelector('label')!;
    this.count = h('p', { class: 'hint image-count' });
    this.thumbs = h('ul', { class: 'thumbs' });
    this.controls = h('div', { class: 'row' });
    this.removeButton = h('button', { type: 'button', class: 'link', onClick: () => this.actions.remove(this) });
    this.element = h('div', { class: 'class-card' }, nameField, this.count, this.thumbs, this.controls);
    this.render();
  }

  get name(): string {
    return this.currentName;
  }

  /** Adds the editor's controls (image input, record button) below the thumbnails. */
  mount(imageInput: HTMLElement, recordButton: HTMLButtonElement): void {
    this.imageInput = imageInput;
    this.controls.before(imageInput);
    this.controls.replaceChildren(recordButton, this.removeButton);
  }

  onRename(listener: () => void): void {
    this.renameListeners.push(listener);
  }

  setIndex(index: number): void {
    this.nameLabel.textContent = `Name of class ${index + 1}`;
  }

  addImages(blobs: Blob[]): void {
    this.images.push(...blobs);
    this.render();
  }

  dispose(): void {
    this.urls.forEach((url) => URL.revokeObjectURL(url));
    this.urls.clear();
  }

  private tryRename(): void {
    const wanted = this.nameInput.value.trim();
    if (wanted === this.currentName) return;
    if (!this.actions.rename(this, wanted)) {
      this.nameInput.value = this.currentName;
      return;
    }
    this.currentName = wanted;
    this.nameInput.value = wanted;
    this.render();
    this.renameListeners.forEach((listener) => listener());
    this.actions.changed();
  }

  private removeImage(blob: Blob): void {
    const index = this.images.indexOf(blob);
    if (index < 0) return;
    this.images.splice(index, 1);
    URL.revokeObjectURL(this.urls.get(blob) ?? '');
    this.urls.delete(blob);
    this.render();
    this.actions.changed();
  }

  private url(blob: Blob): string {
    let url = this.urls.get(blob);
    if (!url) this.urls.set(blob, (url = URL.createObjectURL(blob)));
    return url;
  }

  private render(): void {
    const n = this.images.length;
    this.count.textContent = `${n} image${n === 1 ? '' : 's'}`;
    this.thumbs.setAttribute('aria-label', `Images of "${this.name}"`);
    this.thumbs.replaceChildren(
      ...this.images.map((blob, i) =>
        h(
          'li',
          {},
          h('img', { alt: '', src: this.url(blob) }),
          h('button', { type: 'button', class: 'thumb-remove', 'aria-label': `Remove image ${i + 1} of "${this.name}"`, title: 'Remove this image', onClick: () => this.removeImage(blob) }, '×'),
        ),
      ),
    );
    this.removeButton.textContent = `Remove "${this.name}"`;
    if (this.imageInput) setImageInputLabel(this.imageInput, `Add images to "${this.name}"`);
  }
}

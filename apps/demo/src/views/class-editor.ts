/**
 * "My images": the user's classes, each with images added by upload, drag and drop or webcam.
 */
import { createImageInput } from '../media/image-input';
import type { Webcam } from '../media/webcam';
import { field, h } from '../ui/dom';
import { describeError } from '../ui/notices';

interface UserClass {
  name: string;
  images: Blob[];
}

export interface ClassEditorDeps {
  webcam: Webcam;
  onError: (message: string) => void;
  /** Called with the images just added to a class (the Train tab caches their features). */
  onImagesAdded?: (images: Blob[]) => void;
}

export class ClassEditor {
  readonly element: HTMLElement;
  private readonly list: HTMLElement;
  private classes: UserClass[] = [
    { name: 'class A', images: [] },
    { name: 'class B', images: [] },
  ];

  constructor(private readonly deps: ClassEditorDeps) {
    this.list = h('div', { class: 'class-list' });
    const nameInput = h('input', { type: 'text', placeholder: 'e.g. thumbs up', maxlength: 40 });
    const add = h('button', { type: 'button', onClick: () => this.addClass(nameInput) }, 'Add class');
    nameInput.addEventListener('keydown', (event) => {
      if (event.key === 'Enter') this.addClass(nameInput);
    });
    const cameraButton = h('button', { type: 'button', class: 'secondary' }, 'Start camera');
    cameraButton.addEventListener('click', () => this.toggleCamera(cameraButton));
    this.element = h(
      'div',
      { class: 'class-editor' },
      this.list,
      h('div', { class: 'row' }, field('New class name', nameInput), add),
      h('div', { class: 'row' }, cameraButton, h('span', { class: 'hint' }, 'Then use "Capture" on a class to add the current frame.')),
      deps.webcam.video,
    );
    this.render();
  }

  /** The classes that have images, in order; the label of an image is its class's index. */
  labelledImages(): { classNames: string[]; images: { source: Blob; label: number }[] } {
    const used = this.classes.filter((c) => c.images.length > 0);
    return {
      classNames: used.map((c) => c.name),
      images: used.flatMap((c, label) => c.images.map((source) => ({ source, label }))),
    };
  }

  private addClass(input: HTMLInputElement): void {
    const name = input.value.trim();
    if (!name) return this.deps.onError('Type a class name first.');
    if (this.classes.some((c) => c.name === name)) return this.deps.onError(`There is already a class named "${name}".`);
    this.classes.push({ name, images: [] });
    input.value = '';
    this.render();
  }

  private async toggleCamera(button: HTMLButtonElement): Promise<void> {
    try {
      if (this.deps.webcam.running) this.deps.webcam.stop();
      else await this.deps.webcam.start();
    } catch (error) {
      this.deps.onError(describeError(error));
    }
    button.textContent = this.deps.webcam.running ? 'Stop camera' : 'Start camera';
    this.render();
  }

  private async capture(target: UserClass): Promise<void> {
    try {
      const frame = await this.deps.webcam.capture();
      target.images.push(frame);
      this.render();
      this.deps.onImagesAdded?.([frame]);
    } catch (error) {
      this.deps.onError(describeError(error));
    }
  }

  private render(): void {
    this.list.replaceChildren(
      ...this.classes.map((c, index) => {
        const nameInput = h('input', { type: 'text', value: c.name, maxlength: 40 });
        nameInput.addEventListener('change', () => (c.name = nameInput.value.trim() || c.name));
        const thumbs = h('div', { class: 'thumbs', 'aria-hidden': 'true' });
        for (const blob of c.images.slice(-8)) {
          const img = h('img', { alt: '', src: URL.createObjectURL(blob) });
          img.onload = () => URL.revokeObjectURL(img.src);
          thumbs.append(img);
        }
        return h(
          'div',
          { class: 'class-card' },
          field(`Name of class ${index + 1}`, nameInput),
          h('p', { class: 'hint' }, `${c.images.length} image${c.images.length === 1 ? '' : 's'}`),
          thumbs,
          createImageInput({
            label: `Add images to "${c.name}"`,
            onImages: (files) => {
              c.images.push(...files);
              this.render();
              this.deps.onImagesAdded?.(files);
            },
            onError: this.deps.onError,
          }),
          h(
            'div',
            { class: 'row' },
            h('button', { type: 'button', class: 'secondary', disabled: !this.deps.webcam.running, onClick: () => this.capture(c) }, `Capture into "${c.name}"`),
            h('button', { type: 'button', class: 'link', onClick: () => { this.classes.splice(index, 1); this.render(); } }, `Remove "${c.name}"`),
          ),
        );
      }),
    );
  }
}

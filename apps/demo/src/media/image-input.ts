/**
 * Image intake: a file picker plus a drop zone (keyboard: the zone is a button that opens the
 * picker). Non-image files are refused with a message naming them.
 */
import { h, uid } from '../ui/dom';

export interface ImageInputOptions {
  label: string;
  multiple?: boolean;
  onImages: (files: File[]) => void;
  onError: (message: string) => void;
  testId?: string;
}

export function isImageFile(file: File): boolean {
  return file.type.startsWith('image/');
}

export function createImageInput(options: ImageInputOptions): HTMLElement {
  const id = uid('images');
  const input = h('input', { type: 'file', id, accept: 'image/*', multiple: options.multiple ?? true, class: 'visually-hidden', 'data-testid': options.testId });
  const accept = (files: File[]) => {
    const rejected = files.filter((f) => !isImageFile(f));
    const images = files.filter(isImageFile);
    if (rejected.length > 0) {
      options.onError(`Not an image: ${rejected.map((f) => f.name).join(', ')}. Choose PNG, JPEG, WebP or GIF files.`);
    }
    if (images.length > 0) options.onImages(images);
  };
  input.addEventListener('change', () => {
    accept([...(input.files ?? [])]);
    input.value = '';
  });
  const zone = h(
    'label',
    { for: id, class: 'dropzone', tabindex: 0, role: 'button' },
    h('strong', {}, options.label),
    h('span', { class: 'hint' }, ' — click, press Enter, or drop images here'),
  );
  zone.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      input.click();
    }
  });
  zone.addEventListener('dragover', (event) => {
    event.preventDefault();
    zone.classList.add('dragging');
  });
  zone.addEventListener('dragleave', () => zone.classList.remove('dragging'));
  zone.addEventListener('drop', (event) => {
    event.preventDefault();
    zone.classList.remove('dragging');
    accept([...(event.dataTransfer?.files ?? [])]);
  });
  return h('div', { class: 'image-input' }, input, zone);
}

/** Changes the label of an input made by `createImageInput` (its class was renamed). */
export function setImageInputLabel(element: HTMLElement, label: string): void {
  const strong = element.querySelector('.dropzone strong');
  if (strong) strong.textContent = label;
}
